package ds_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/ds"
	"github.com/mkos/mkos/servers/ds/store"
)

func TestPutGetListDelete(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			k := bootDS(t, ds.New(pl.open(t), ds.Options{}), pl.inKernel)
			type got struct {
				a1          []byte
				under, all  []string
				gone, again ipc.Errno
				gen         uint64
			}
			var g got
			spawn(t, k, "client", func(sys ipc.Sys, c *dsproto.Client) {
				for _, kv := range [][2]string{{"a/2", "two"}, {"b", "bee"}, {"a/1", "one"}} {
					assert.NoError(t, c.Put(kv[0], []byte(kv[1])), "Put(%q)", kv[0])
				}
				assert.NoError(t, c.Put("a/1", []byte("uno")), "Put replacing")
				g.a1, _ = c.Get("a/1")
				g.under, _ = c.List("a/")
				assert.NoError(t, c.Delete("a/2"))
				g.all, _ = c.List("")
				_, err := c.Get("a/2")
				g.gone = errnoOf(err)
				g.again = errnoOf(c.Delete("a/2"))
				g.gen = c.Gen
			})
			run(t, k)
			assert.Equal(t, got{
				a1: []byte("uno"), under: []string{"a/1", "a/2"}, all: []string{"a/1", "b"},
				gone: linux.ENOENT, again: linux.ENOENT, gen: 1,
			}, g)
		})
	}
}

// raw is a request made without the client's checks, to reach the
// server's own.
type raw struct {
	typ   ipc.Type
	words []uint64
	send  []byte
	recv  int // receive window length
}

func TestErrors(t *testing.T) {
	long := string(make([]byte, dsproto.MaxKey+1))
	tests := []struct {
		name string
		req  raw
		want ipc.Errno
	}{
		{"put of an empty key", raw{dsproto.Put, []uint64{0, 1}, []byte("v"), 0}, linux.EINVAL},
		{"put of a key too long", raw{dsproto.Put, []uint64{256, 0}, []byte(long), 0}, linux.EINVAL},
		{"put of a key with NUL", raw{dsproto.Put, []uint64{3, 0}, []byte("a\x00b"), 0}, linux.EINVAL},
		{"put of a value too large", raw{dsproto.Put, []uint64{1, dsproto.MaxValue + 1}, nil, 0}, linux.E2BIG},
		{"put with a window shorter than its lengths", raw{dsproto.Put, []uint64{1, 10}, []byte("kv"), 0}, linux.EINVAL},
		{"get of a missing key", raw{dsproto.Get, []uint64{4, 64}, []byte("none"), 64}, linux.ENOENT},
		{"get into a short window", raw{dsproto.Get, []uint64{4, 2}, []byte("have"), 2}, linux.ERANGE},
		{"get of the generation record", raw{dsproto.Get, []uint64{14, 64}, []byte("\x00ds/generation"), 64}, linux.EINVAL},
		{"delete of a missing key", raw{dsproto.Delete, []uint64{4}, []byte("none"), 0}, linux.ENOENT},
		{"list into a window too short", raw{dsproto.List, []uint64{0, 0, dsproto.MinWindow - 1}, nil, 64}, linux.EINVAL},
		{"list with a NUL prefix", raw{dsproto.List, []uint64{1, 0, 4096}, []byte{0}, 4096}, linux.EINVAL},
		{"subscribe with no bits", raw{dsproto.Subscribe, []uint64{0, 0}, nil, 0}, linux.EINVAL},
		{"subscribe with the death bit", raw{dsproto.Subscribe, []uint64{0, ipc.NotifyDeath}, nil, 0}, linux.EINVAL},
		{"unsubscribe without a subscription", raw{dsproto.Unsubscribe, []uint64{1}, []byte("a"), 0}, linux.ENOENT},
		{"changes without a subscription", raw{dsproto.Changes, []uint64{4096}, nil, 4096}, linux.ESTALE},
		{"unknown request", raw{99, nil, nil, 0}, linux.ENOSYS},
	}
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			k := bootDS(t, ds.New(pl.open(t), ds.Options{}), pl.inKernel)
			got := make([]ipc.Errno, len(tests))
			var rangeLen uint64
			spawn(t, k, "client", func(sys ipc.Sys, c *dsproto.Client) {
				assert.NoError(t, c.Put("have", []byte("1234")))
				for i, tc := range tests {
					rep, err := call(sys, c.Dst, tc.req)
					if err == nil {
						err = rep.Err()
					}
					got[i] = errnoOf(err)
					if tc.want == linux.ERANGE {
						rangeLen = rep.Word(0)
					}
				}
			})
			run(t, k)
			for i, tc := range tests {
				assert.Equal(t, tc.want, got[i], "%s: errno %v (%d), want %v (%d)", tc.name, got[i], got[i], tc.want, tc.want)
			}
			assert.Equal(t, uint64(4), rangeLen, "ERANGE reply's value length")
		})
	}
}

// call makes a raw request.
func call(sys ipc.Sys, dst ipc.Endpoint, r raw) (ipc.Message, error) {
	req := ipc.Message{Type: r.typ}
	for i, w := range r.words {
		req.SetWord(i, w)
	}
	var rep ipc.Message
	err := sys.CallWith(dst, &req, &rep, &ipc.Extra{Send: r.send, Recv: make([]byte, r.recv)})
	return rep, err
}

// Every request type of the protocol has a handler: none answers ENOSYS.
func TestEveryRequestHandled(t *testing.T) {
	srv := ds.New(store.NewMemory(), ds.Options{})
	for typ, name := range dsproto.Names {
		if typ == dsproto.Crash {
			continue
		}
		t.Run(name, func(t *testing.T) {
			ctx := &ipc.Ctx{Sys: noSys{}}
			rep := srv.Handle(ctx, &ipc.Message{Type: typ})
			assert.NotEqual(t, uint16(linux.ENOSYS), rep.Errno, "%s answered ENOSYS", name)
			assert.Equal(t, uint64(1), rep.Word(dsproto.GenWord), "%s reply's generation", name)
		})
	}
	assert.PanicsWithValue(t, "ds: crash requested by kernel", func() {
		srv.Handle(&ipc.Ctx{Sys: noSys{}}, &ipc.Message{Type: dsproto.Crash})
	})
}

// noSys is a Sys that offers no bulk window; any other call panics.
type noSys struct{ ipc.Sys }

func (noSys) CopyIn(ipc.Endpoint, int, []byte) (int, error)  { return 0, ipc.ErrFault }
func (noSys) CopyOut(ipc.Endpoint, int, []byte) (int, error) { return 0, ipc.ErrFault }

func TestLargeValuesAndPaging(t *testing.T) {
	for _, pl := range placements {
		t.Run(pl.name, func(t *testing.T) {
			k := bootDS(t, ds.New(pl.open(t), ds.Options{}), pl.inKernel)
			big := make([]byte, dsproto.MaxValue)
			for i := range big {
				big[i] = byte(i % 251)
			}
			var want []string
			for i := range 60 {
				want = append(want, fmt.Sprintf("pm/proc/%03d", (i*37)%60))
			}
			var gotBig []byte
			var tooBig error
			var listed []string
			var firstPage []string
			var more bool
			spawn(t, k, "client", func(sys ipc.Sys, c *dsproto.Client) {
				assert.NoError(t, c.Put("big", big))
				gotBig, _ = c.Get("big")
				tooBig = c.Put("big", make([]byte, dsproto.MaxValue+1))
				for _, key := range want {
					assert.NoError(t, c.Put(key, []byte(key)))
				}
				c.PageBytes = dsproto.MinWindow // about 20 keys a page
				listed, _ = c.List("pm/")
				firstPage, more, _ = c.ListPage("pm/", "", make([]byte, dsproto.MinWindow))
			})
			run(t, k)
			assert.Equal(t, big, gotBig, "the largest value, through Get's second try")
			assert.ErrorIs(t, tooBig, linux.E2BIG)
			slices.Sort(want)
			assert.Equal(t, want, listed, "List across pages")
			assert.True(t, more, "the first page says more follow")
			assert.Equal(t, want[:len(firstPage)], firstPage)
			assert.Less(t, len(firstPage), len(want))
		})
	}
}

// A server whose store fails as it starts answers every request with EIO,
// and still carries a generation.
func TestStoreFailingAtStart(t *testing.T) {
	st := store.NewMemory()
	st.Close()
	srv := ds.New(st, ds.Options{})
	assert.ErrorIs(t, srv.Err(), store.ErrClosed)
	rep := srv.Handle(&ipc.Ctx{Sys: noSys{}}, &ipc.Message{Type: dsproto.List})
	assert.Equal(t, uint16(linux.EIO), rep.Errno)
}

// Each server started on a store is one generation later; NewMemory starts
// afresh.
func TestGenerations(t *testing.T) {
	st := store.NewMemory()
	var gens []uint64
	for range 3 {
		gens = append(gens, ds.New(st, ds.Options{}).Gen())
	}
	assert.Equal(t, []uint64{1, 2, 3}, gens)
	assert.Equal(t, uint64(1), ds.NewMemory().(*ds.Server).Gen())
}

// A receive window shorter than the request declares is refused, not
// silently filled in part.
func TestWindowShorterThanDeclared(t *testing.T) {
	k := bootDS(t, ds.New(store.NewMemory(), ds.Options{}), false)
	var got ipc.Errno
	spawn(t, k, "liar", func(sys ipc.Sys, c *dsproto.Client) {
		assert.NoError(t, c.Put("k", []byte("0123456789")))
		rep, err := call(sys, c.Dst, raw{dsproto.Get, []uint64{1, 64}, []byte("k"), 4})
		if err == nil {
			err = rep.Err()
		}
		got = errnoOf(err)
	})
	run(t, k)
	assert.Equal(t, linux.EINVAL, got)
}
