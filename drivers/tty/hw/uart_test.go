package hw_test

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/drivers/tty/hw"
	"github.com/mkos/mkos/ipc"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// take does what a driver does for one chunk of input: wait (again while
// the waits end idle), then read.
func take(t *testing.T, u *hw.UART, now int64) (string, ipc.Errno) {
	t.Helper()
	rx := u.Receiver()
	wait := ipc.DevRequest{Op: hw.OpWait}
	c := ipc.DevCompletion{Errno: hw.ErrIdle}
	at := now
	for c.Errno == hw.ErrIdle {
		var e ipc.Errno
		at, e = rx.Start(at, &wait)
		require.Zero(t, e)
		c = rx.Finish(at, &wait)
	}
	if c.Errno != 0 {
		return "", c.Errno
	}
	read := ipc.DevRequest{Op: hw.OpRead, Buf: make([]byte, c.N)}
	at, e := rx.Start(at, &read)
	require.Zero(t, e)
	c = rx.Finish(at, &read)
	return string(read.Buf[:c.N]), 0
}

func TestScriptChunksDependOnTheBytesOnly(t *testing.T) {
	const script = "one\ntwo\nno newline at the end"
	for name, in := range map[string]io.Reader{
		"whole":           strings.NewReader(script),
		"a byte per read": iotest.OneByteReader(strings.NewReader(script)),
		"half reads":      iotest.HalfReader(strings.NewReader(script)),
	} {
		t.Run(name, func(t *testing.T) {
			u := hw.New(hw.Options{In: in})
			var chunks []string
			for {
				s, e := take(t, u, 0)
				if e != 0 {
					assert.Equal(t, hw.ErrHangup, e, "the end of the script is a hangup")
					break
				}
				chunks = append(chunks, s)
			}
			assert.Equal(t, []string{"one\n", "two\n", "no newline at the end"}, chunks)
			assert.Equal(t, int64(len(script)), u.Stats().BytesIn)
		})
	}
}

func TestLongLinesComeInFIFOSizedChunks(t *testing.T) {
	u := hw.New(hw.Options{In: strings.NewReader(strings.Repeat("x", 40) + "\n"), FIFOBytes: 16})
	var sizes []int
	for {
		s, e := take(t, u, 0)
		if e != 0 {
			break
		}
		sizes = append(sizes, len(s))
	}
	assert.Equal(t, []int{16, 16, 9}, sizes)
}

func TestLiveKeyboardIdlesAndHangsUp(t *testing.T) {
	in, typist := io.Pipe()
	u := hw.New(hw.Options{In: in, Interactive: true, IdleNs: 1_000_000})
	defer u.Close()
	rx := u.Receiver()
	wait := ipc.DevRequest{Op: hw.OpWait}
	at, _ := rx.Start(0, &wait)
	assert.Equal(t, int64(1_000_000), at, "a wait with nothing typed lasts IdleNs")
	assert.Equal(t, hw.ErrIdle, rx.Finish(at, &wait).Errno)
	typist.Write([]byte("k"))
	s, e := take(t, u, at)
	assert.Zero(t, e)
	assert.Equal(t, "k", s)
	typist.Write([]byte{'a', hw.DetachKey, 'b'})
	s, _ = take(t, u, at)
	assert.Equal(t, "a", s, "what was typed before the detach key")
	_, e = take(t, u, at)
	assert.Equal(t, hw.ErrHangup, e, "the detach key ends the input")
	typist.Close()
}

func TestTransmitter(t *testing.T) {
	var out bytes.Buffer
	u := hw.New(hw.Options{Out: &out, ByteNs: 10})
	tx := u.Transmitter()
	req := ipc.DevRequest{Op: hw.OpWrite, Buf: []byte("hello")}
	at, e := tx.Start(100, &req)
	require.Zero(t, e)
	assert.Equal(t, int64(150), at, "ByteNs per byte")
	assert.Empty(t, out.String(), "shown when the operation completes")
	c := tx.Finish(at, &req)
	assert.Equal(t, 5, c.N)
	assert.Equal(t, "hello", out.String())
	_, e = tx.Start(0, &ipc.DevRequest{Op: 9})
	assert.Equal(t, ipc.ErrInvalid, e)
	assert.Equal(t, "tty0.rx", u.Receiver().Name())
	assert.Equal(t, "tty0.tx", tx.Name())
}
