package hw

import (
	"bufio"
	"errors"
	"io"
	"sync"
	"time"
)

// DetachKey (^], telnet's escape) typed on a live keyboard ends its input
// as if the terminal had closed: the console hangs up, the session ends,
// and the run with it. It is the way out of a system that no longer
// answers.
const DetachKey = 0x1d

// keyboard is where typed bytes come from.
type keyboard interface {
	// live reports whether the keyboard is a live terminal.
	live() bool
	// pending reports whether bytes were typed that take would return
	// at once (live only).
	pending() bool
	// take appends typed bytes to dst. A script reads its next chunk; a
	// live keyboard waits for a key until the wall time until.
	take(dst []byte, until time.Time) []byte
	// ended reports that the input is over and every byte taken.
	ended() bool
	close()
}

// scriptKeyboard reads a script: one line, or the reader's buffer size,
// per take — a chunk that depends on the bytes only.
type scriptKeyboard struct {
	r   *bufio.Reader
	eof bool
}

func newScriptKeyboard(in io.Reader, chunk int) *scriptKeyboard {
	return &scriptKeyboard{r: bufio.NewReaderSize(in, chunk)}
}

func (k *scriptKeyboard) live() bool    { return false }
func (k *scriptKeyboard) pending() bool { return false }
func (k *scriptKeyboard) ended() bool   { return k.eof }
func (k *scriptKeyboard) close()        {}

func (k *scriptKeyboard) take(dst []byte, _ time.Time) []byte {
	if k.eof {
		return dst
	}
	line, err := k.r.ReadSlice('\n')
	dst = append(dst, line...)
	if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
		k.eof = true // the end of the input, or a host error: a hangup either way
	}
	return dst
}

// liveKeyboard is a host terminal read by a pump goroutine. The queue is
// the only state the pump and the simulation share.
type liveKeyboard struct {
	mu    sync.Mutex
	queue []byte // typed, not yet taken
	eof   bool

	wake   chan struct{} // a key was pressed (capacity 1)
	stop   chan struct{} // closed by close
	done   chan struct{} // closed when the pump returns
	polled bool          // the pump polls: close can wait for it
	once   sync.Once
}

func newLiveKeyboard(in io.Reader) *liveKeyboard {
	k := &liveKeyboard{wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	fd := -1
	if f, ok := in.(interface{ Fd() uintptr }); ok {
		fd, k.polled = int(f.Fd()), pollable
	}
	go k.pump(in, fd)
	return k
}

func (k *liveKeyboard) live() bool { return true }

func (k *liveKeyboard) pending() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.queue) > 0
}

func (k *liveKeyboard) ended() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.eof && len(k.queue) == 0
}

// close stops the pump, and waits for it when it polls (a pump blocked in
// a read it cannot poll ends when its reader does).
func (k *liveKeyboard) close() {
	k.once.Do(func() { close(k.stop) })
	if k.polled {
		<-k.done
	}
}

// take waits until a key is pressed, the input ends, the keyboard is
// closed or the wall clock reaches until; then it takes what was typed.
func (k *liveKeyboard) take(dst []byte, until time.Time) []byte {
	if d := time.Until(until); d > 0 && !k.pending() && !k.ended() {
		t := time.NewTimer(d)
		select {
		case <-k.wake:
		case <-t.C:
		case <-k.stop:
		}
		t.Stop()
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	dst = append(dst, k.queue...)
	k.queue = k.queue[:0]
	return dst
}

// pump reads the terminal until it ends, an error, DetachKey, or close.
// A terminal (any *os.File, whose descriptor is fd) is polled with a
// timeout first, so that close stops the pump even when no key is
// pressed.
func (k *liveKeyboard) pump(in io.Reader, fd int) {
	defer close(k.done)
	buf := make([]byte, 256)
	for {
		select {
		case <-k.stop:
			return
		default:
		}
		if k.polled && !readable(fd) {
			continue
		}
		n, err := in.Read(buf)
		if !k.typed(buf[:n], err) {
			return
		}
	}
}

// typed queues the bytes the pump read and wakes a waiting take. It
// reports whether the input goes on.
func (k *liveKeyboard) typed(b []byte, err error) bool {
	k.mu.Lock()
	for i, c := range b {
		if c == DetachKey {
			b, err = b[:i], io.EOF
			break
		}
	}
	k.queue = append(k.queue, b...)
	if err != nil {
		k.eof = true
	}
	k.mu.Unlock()
	select {
	case k.wake <- struct{}{}:
	default:
	}
	return err == nil
}

// wallNow and nsDuration are the live keyboard's only uses of host time.
func wallNow() time.Time                { return time.Now() }
func nsDuration(ns int64) time.Duration { return time.Duration(ns) }
