package ds

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/servers/ds/store"
)

// Options bound the server's tables. A zero field takes its default.
type Options struct {
	// QueueLen is the number of changes kept per subscriber before the
	// queue overflows (default 64).
	QueueLen int
	// MaxSubscribers bounds the subscriber table (default 64).
	MaxSubscribers int
	// MaxPrefixes bounds the prefixes one subscriber watches (default 16).
	MaxPrefixes int
}

func (o Options) withDefaults() Options {
	if o.QueueLen <= 0 {
		o.QueueLen = 64
	}
	if o.MaxSubscribers <= 0 {
		o.MaxSubscribers = 64
	}
	if o.MaxPrefixes <= 0 {
		o.MaxPrefixes = 16
	}
	return o
}

// genKey is where the store keeps the generation of the last server that
// started on it. Its NUL byte makes it a key no client can name.
const genKey = "\x00ds/generation"

// Server is the data store server. One instance serves the ds service:
// its subscriptions live in the instance, its data in the Store.
type Server struct {
	st       store.Store
	opt      Options
	gen      uint64 // this instance's generation, in every reply
	startErr error  // the store failed as the server started: every request fails with EIO

	subs []*subscriber // in subscription order, so notices go out in a fixed order
	// exitTopic: deaths come from the kernel/exit topic (exits.go), not
	// from exit notices.
	exitTopic bool

	in  []byte // the send window's bytes of the request being served
	out []byte // records on their way to the receive window
}

// New returns a ds server on st. It bumps the generation kept in st, so
// the first server on a store has generation 1 (a fresh start) and each
// later one the next number (a restart). Whoever constructs the server
// owns st: to keep the data across a restart of the server, hand the same
// st to the next instance, and close it when the system stops.
func New(st store.Store, opt Options) *Server {
	s := &Server{st: st, opt: opt.withDefaults()}
	s.gen, s.startErr = nextGen(st)
	return s
}

// NewMemory returns a ds server on a new, empty memory store: the
// constructor for server tables that keep no state of their own. Its data
// do not survive a restart of the server.
func NewMemory() ipc.Server { return New(store.NewMemory(), Options{}) }

// nextGen bumps and returns the generation kept in st.
func nextGen(st store.Store) (uint64, error) {
	var gen uint64
	v, err := st.Get(genKey)
	switch {
	case err == nil && len(v) == 8:
		gen = binary.LittleEndian.Uint64(v)
	case err == nil:
		return 0, fmt.Errorf("ds: generation record of %d bytes, want 8", len(v))
	case !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	gen++
	return gen, st.Put(genKey, binary.LittleEndian.AppendUint64(nil, gen))
}

// Gen returns the instance's generation: 1 on a fresh store, higher after
// each restart on the same store.
func (s *Server) Gen() uint64 { return s.gen }

// Err returns the error the store gave as the server started, if any.
func (s *Server) Err() error { return s.startErr }

// Handle serves one ds request and stamps the reply with the generation.
func (s *Server) Handle(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	var rep ipc.Message
	if s.startErr != nil && req.Type != dsproto.Crash {
		rep = ipc.ErrorReply(req, linux.EIO)
	} else {
		rep = s.serve(ctx, req)
	}
	rep.SetWord(dsproto.GenWord, s.gen)
	return rep
}

// serve is the server's switch: one handler per request type.
func (s *Server) serve(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	switch req.Type {
	case dsproto.Put:
		return s.put(ctx, req)
	case dsproto.Get:
		return s.get(ctx, req)
	case dsproto.Delete:
		return s.delete(ctx, req)
	case dsproto.List:
		return s.list(ctx, req)
	case dsproto.Subscribe:
		return s.subscribe(ctx, req)
	case dsproto.Unsubscribe:
		return s.unsubscribe(ctx, req)
	case dsproto.Changes:
		return s.changes(ctx, req)
	case dsproto.Crash:
		panic("ds: crash requested by " + req.Source.String())
	}
	return ipc.ErrorReply(req, linux.ENOSYS)
}

// readIn copies the first n bytes of the caller's send window into s.in.
func (s *Server) readIn(ctx *ipc.Ctx, n int) ([]byte, error) {
	if n > ipc.MaxBulk {
		return nil, linux.EMSGSIZE
	}
	if n == 0 {
		return nil, nil
	}
	if cap(s.in) < n {
		s.in = make([]byte, n)
	}
	got, err := ctx.CopyIn(0, s.in[:n])
	if err != nil {
		return nil, err
	}
	if got < n {
		return nil, linux.EINVAL // the window is shorter than the lengths say
	}
	return s.in[:n], nil
}

// writeOut copies b into the caller's receive window; EINVAL when the
// window is shorter than the request said.
func writeOut(ctx *ipc.Ctx, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	n, err := ctx.CopyOut(0, b)
	if err == nil && n < len(b) {
		err = linux.EINVAL
	}
	return err
}

// window returns the receive window length a request declares, within
// the bulk limit; EINVAL when one record might not fit it.
func window(w uint64) (int, error) {
	if w < dsproto.MinWindow {
		return 0, linux.EINVAL
	}
	return int(min(w, ipc.MaxBulk)), nil
}

// errReply fails req with err's errno: the store's errors become ENOENT
// and EIO.
func errReply(req *ipc.Message, err error) ipc.Message {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return ipc.ErrorReply(req, linux.ENOENT)
	case errors.Is(err, store.ErrClosed):
		return ipc.ErrorReply(req, linux.EIO)
	}
	return ipc.ErrorReply(req, ipc.ErrnoOf(err))
}
