package ds

import (
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// checkKeyLen checks the declared length of a key, or with prefix of a
// prefix (which may be empty).
func checkKeyLen(n uint64, prefix bool) error {
	if n > dsproto.MaxKey || (n == 0 && !prefix) {
		return linux.EINVAL
	}
	return nil
}

// put stores the value that follows the key in the send window.
func (s *Server) put(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	kl, vl := req.Word(0), req.Word(1)
	if err := checkKeyLen(kl, false); err != nil {
		return errReply(req, err)
	}
	if vl > dsproto.MaxValue {
		return ipc.ErrorReply(req, linux.E2BIG)
	}
	in, err := s.readIn(ctx, int(kl+vl))
	if err != nil {
		return errReply(req, err)
	}
	key := string(in[:kl])
	if err := dsproto.CheckKey(key); err != nil {
		return errReply(req, err)
	}
	if err := mayWrite(ctx, key); err != nil {
		return errReply(req, err)
	}
	if err := s.st.Put(key, in[kl:]); err != nil {
		return errReply(req, err)
	}
	s.changed(ctx, dsproto.OpPut, key)
	return ipc.Reply(req)
}

// get copies key's value into the receive window.
func (s *Server) get(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	key, err := s.readKey(ctx, req.Word(0))
	if err != nil {
		return errReply(req, err)
	}
	v, err := s.st.Get(key)
	if err != nil {
		return errReply(req, err)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(len(v)))
	if uint64(len(v)) > req.Word(1) {
		rep.Errno = uint16(linux.ERANGE)
		return rep
	}
	if err := writeOut(ctx, v); err != nil {
		return errReply(req, err)
	}
	return rep
}

// delete removes a key.
func (s *Server) delete(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	key, err := s.readKey(ctx, req.Word(0))
	if err != nil {
		return errReply(req, err)
	}
	if err := mayWrite(ctx, key); err != nil {
		return errReply(req, err)
	}
	if err := s.st.Delete(key); err != nil {
		return errReply(req, err)
	}
	s.changed(ctx, dsproto.OpDelete, key)
	return ipc.Reply(req)
}

// list copies the keys under a prefix, after a given key, into the
// receive window: as many records as fit.
func (s *Server) list(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	pl, al := req.Word(0), req.Word(1)
	win, err := window(req.Word(2))
	if err == nil {
		err = checkKeyLen(pl, true)
	}
	if err == nil {
		err = checkKeyLen(al, true)
	}
	if err != nil {
		return errReply(req, err)
	}
	in, err := s.readIn(ctx, int(pl+al))
	if err != nil {
		return errReply(req, err)
	}
	prefix, after := string(in[:pl]), string(in[pl:])
	if dsproto.CheckPrefix(prefix) != nil || dsproto.CheckPrefix(after) != nil {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	n, more := 0, false
	s.out = s.out[:0]
	err = s.st.Scan(prefix, after, func(key string) bool {
		if key[0] == 0 {
			return true // the server's own records
		}
		if len(s.out)+dsproto.KeyHeader+len(key) > win {
			more = true
			return false
		}
		s.out = dsproto.AppendKey(s.out, key)
		n++
		return true
	})
	if err == nil {
		err = writeOut(ctx, s.out) // after the scan: no trap inside the store
	}
	if err != nil {
		return errReply(req, err)
	}
	rep := ipc.Reply(req)
	rep.SetWord(0, uint64(n))
	rep.SetWord(1, uint64(len(s.out)))
	rep.SetWord(2, b2u(more))
	return rep
}

// readKey reads and checks a key of length n from the send window.
func (s *Server) readKey(ctx *ipc.Ctx, n uint64) (string, error) {
	if err := checkKeyLen(n, false); err != nil {
		return "", err
	}
	in, err := s.readIn(ctx, int(n))
	if err != nil {
		return "", err
	}
	key := string(in)
	return key, dsproto.CheckKey(key)
}

// readPrefix reads and checks a prefix of length n from the send window.
func (s *Server) readPrefix(ctx *ipc.Ctx, n uint64) (string, error) {
	if err := checkKeyLen(n, true); err != nil {
		return "", err
	}
	in, err := s.readIn(ctx, int(n))
	if err != nil {
		return "", err
	}
	p := string(in)
	return p, dsproto.CheckPrefix(p)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// mayWrite refuses a change to a key under dsproto.SysPrefix to a caller
// that is not root (EPERM): servers keep their state there.
func mayWrite(ctx *ipc.Ctx, key string) error {
	if !strings.HasPrefix(key, dsproto.SysPrefix) {
		return nil
	}
	c, err := ctx.Sys.Cred(ctx.Caller)
	if err != nil || c.UID != 0 {
		return linux.EPERM
	}
	return nil
}
