package gateway

import (
	"encoding/binary"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/gatewayproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/rsproto"
)

// Moving a server to another node (svc move NAME NODE). LECTURE: move
//
//  1. The source node's gateway finds the service's local instance (a
//     Ping's reply names it) and holds the service's requests on its bus
//     (Sys.Update, as a live update does).
//  2. It reads the instance's state (ipc.StateGet, a chunk at a time);
//     a server that is not ipc.Stateful answers ENOSYS and moves by
//     restart, without its state.
//  3. It sends the state to the target node's gateway (an Adopt request),
//     which starts the service there through its rs (the service must be
//     configured on that node, standby: true), hands the new instance the
//     state (ipc.StatePut) and exports the service.
//  4. On the answer, the source stops choosing itself for the service,
//     registers the service as remote, has its rs stop the old instance,
//     and ends the hold: the held requests and every later one go over
//     the wire to the new instance. Its clients see no error.
//
// If any step fails the hold ends without a switch: the old instance
// serves on, its state untouched.

// moveOp is a move waiting for the target's answer.
type moveOp struct {
	name string
	id   ipc.ServiceID
}

// move serves Move: steps 1–3; the answer finishes it (finishMove).
func (s *Server) move(ctx *ipc.Ctx, req *ipc.Message) ipc.Message {
	if c, err := ctx.Sys.Cred(ctx.Caller); err != nil || !c.IsRoot() {
		return ipc.ErrorReply(req, linux.EPERM)
	}
	name, node, ok := gatewayproto.ParseMove(req)
	if !ok || node == s.link.Node() {
		return ipc.ErrorReply(req, linux.EINVAL)
	}
	id, err := ctx.Sys.Lookup(name)
	if err != nil {
		return ipc.ErrorReply(req, linux.ENOENT)
	}
	ping, rep := ipc.Message{Type: ipc.Ping}, ipc.Message{}
	if err := ctx.Sys.CallWith(ipc.ServiceEndpoint(id), &ping, &rep, &ipc.Extra{TimeoutNs: s.opt.TimeoutNs}); err != nil || rep.Source.IsService() || rep.Source == 0 {
		return ipc.ErrorReply(req, linux.ENOENT) // no local instance
	}
	old := rep.Source
	if err := ctx.Sys.Update(name, ipc.UpdateHold, 0, 0); err != nil {
		return ipc.ErrorReply(req, linux.EBUSY)
	}
	ver, state, err := s.getState(ctx, old)
	if err != nil {
		ver, state = -1, nil // not Stateful, or it would not say: move by restart
	}
	send := binary.LittleEndian.AppendUint64(nil, uint64(int64(ver)))
	send = append(send, state...)
	now := ctx.Sys.Now()
	s.seq++
	q := gatewayproto.Request{Header: gatewayproto.Header{Seq: s.seq, SentNs: now, From: s.link.Node()},
		TimeoutNs: s.opt.TimeoutNs, Service: gatewayproto.Adopt, Send: send}
	q.Msg.Type = gatewayproto.Move
	q.Msg.SetBytes([]byte(name))
	s.frame = gatewayproto.AppendRequest(s.frame[:0], &q)
	if len(send) > gatewayproto.MaxWindow {
		_ = ctx.Sys.Update(name, ipc.UpdateAbort, 0, 0)
		return ipc.ErrorReply(req, linux.EBUSY) // a state too big for one frame
	}
	if err := s.link.RequestTo(node, gatewayproto.Adopt, s.seq, s.frame, now); err != nil {
		_ = ctx.Sys.Update(name, ipc.UpdateAbort, 0, 0)
		return ipc.ErrorReply(req, ipc.ErrNoInstance)
	}
	s.pending[s.seq] = &pending{caller: ctx.Caller, typ: req.Type, deadlineNs: now + s.opt.TimeoutNs, move: &moveOp{name: name, id: id}}
	s.arm(ctx)
	return ipc.Message{Type: ipc.NoReply}
}

// finishMove is step 4, or the rollback when the target failed (e != 0).
func (s *Server) finishMove(ctx *ipc.Ctx, p *pending, e ipc.Errno) ipc.Errno {
	m := p.move
	if e == 0 {
		_ = s.link.Unexport(m.name)
		if id, err := ctx.Sys.Register(ipc.RemoteName(m.name)); err == nil {
			s.names[id] = m.name
		}
		if rsc, err := rsproto.Dial(ctx.Sys); err == nil {
			_ = rsc.Stop(m.name)
		}
	}
	_ = ctx.Sys.Update(m.name, ipc.UpdateAbort, 0, 0)
	return e
}

// adopt serves a move's request on the target node: start the service
// here with the state it brought, and export it.
func (s *Server) adopt(ctx *ipc.Ctx, q *gatewayproto.Request) uint16 {
	name := string(q.Msg.Bytes())
	if !gatewayproto.ValidName(name) || len(q.Send) < 8 {
		return uint16(linux.EINVAL)
	}
	rsc, err := rsproto.Dial(ctx.Sys)
	if err != nil {
		return uint16(ipc.ErrnoOf(err))
	}
	ep, err := rsc.Start(name)
	if err != nil {
		return uint16(ipc.ErrnoOf(err))
	}
	if ver := int64(binary.LittleEndian.Uint64(q.Send)); ver >= 0 {
		if err := s.putState(ctx, ep, int(ver), q.Send[8:]); err != nil {
			_ = rsc.Stop(name)
			return uint16(ipc.ErrnoOf(err))
		}
	}
	if err := s.link.Export(name); err != nil {
		return uint16(linux.EIO)
	}
	return 0
}

// getState reads instance ep's state, a chunk at a time.
func (s *Server) getState(ctx *ipc.Ctx, ep ipc.Endpoint) (int, []byte, error) {
	buf := make([]byte, ipc.MaxBulk)
	var data []byte
	for {
		req, rep := ipc.Message{Type: ipc.StateGet}, ipc.Message{}
		req.SetWord(0, uint64(len(data)))
		err := ctx.Sys.CallWith(ep, &req, &rep, &ipc.Extra{Recv: buf, TimeoutNs: s.opt.TimeoutNs})
		if err == nil && rep.Errno != 0 {
			err = ipc.Errno(rep.Errno)
		}
		if err != nil {
			return 0, nil, err
		}
		total, n := rep.Word(1), rep.Word(2)
		if total > gatewayproto.MaxWindow || n > uint64(len(buf)) || uint64(len(data))+n > total || n == 0 && uint64(len(data)) < total {
			return 0, nil, ipc.ErrBadReply
		}
		data = append(data, buf[:n]...)
		if uint64(len(data)) == total {
			return int(rep.Word(0)), data, nil
		}
	}
}

// putState hands data to the new instance ep, a chunk at a time.
func (s *Server) putState(ctx *ipc.Ctx, ep ipc.Endpoint, ver int, data []byte) error {
	for off := 0; off == 0 || off < len(data); {
		n := min(len(data)-off, ipc.MaxBulk)
		req, rep := ipc.Message{Type: ipc.StatePut}, ipc.Message{}
		req.SetWord(0, uint64(ver))
		req.SetWord(1, uint64(len(data)))
		req.SetWord(2, uint64(off))
		err := ctx.Sys.CallWith(ep, &req, &rep, &ipc.Extra{Send: data[off : off+n], TimeoutNs: s.opt.TimeoutNs})
		if err == nil && rep.Errno != 0 {
			err = fmt.Errorf("%s: %w", rep.Bytes(), ipc.Errno(rep.Errno))
		}
		if err != nil {
			return err
		}
		if off += n; n == 0 {
			return nil
		}
	}
	return nil
}
