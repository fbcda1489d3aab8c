package pm

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/ipc"
)

// flakyStore is a MemStore whose next fails writes fail.
type flakyStore struct {
	*MemStore
	fails int
	puts  int
}

var errDown = errors.New("ds is down")

func (f *flakyStore) Put(sys ipc.Sys, key string, v []byte) error {
	f.puts++
	if f.fails > 0 {
		f.fails--
		return errDown
	}
	return f.MemStore.Put(sys, key, v)
}

// TestFlushKeepsWhatItCouldNotWrite: a write that fails stops the flush
// and leaves that record and the rest dirty; the next flush writes them.
func TestFlushKeepsWhatItCouldNotWrite(t *testing.T) {
	st := &flakyStore{MemStore: NewMemStore(), fails: 1}
	s := New(Options{Store: st})
	for pid := 1; pid <= 3; pid++ {
		p := &proc{Pid: pid, Name: "p"}
		s.t.add(p)
		s.touch(p)
	}
	s.flush(nil)
	assert.Equal(t, 1, st.puts, "writes tried by a flush whose first write fails")
	assert.Len(t, s.dirty, 3, "dirty records after the failed flush")
	s.flush(nil)
	assert.Empty(t, s.dirty, "dirty records after the next flush")
	keys, err := st.List(nil, procPrefix)
	require.NoError(t, err)
	assert.Equal(t, []string{"pm/proc/1", "pm/proc/2", "pm/proc/3"}, keys, "records in the store")
	_, err = st.Get(nil, nextKey)
	assert.NoError(t, err, "the next pid is written")
}
