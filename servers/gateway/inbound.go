package gateway

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/gatewayproto"
)

// inbound serves a request from another node: it calls the local service
// as the gateway — the service sees the gateway as its caller, so state
// a server keeps per caller (fs's descriptors) is one table for every
// remote caller this gateway serves — with the frame's windows, and
// publishes the reply to the request's inbox.
func (s *Server) inbound(ctx *ipc.Ctx, d *gatewayproto.Delivery, h gatewayproto.Header) {
	s.stats.In++
	r := gatewayproto.Reply{Header: gatewayproto.Header{Seq: h.Seq, From: s.link.Node()}}
	q, err := gatewayproto.DecodeRequest(d.Frame)
	if err != nil {
		s.stats.BadFrames++
		r.Errno = uint16(ipc.ErrBadReply)
	} else if q.Service == gatewayproto.Adopt {
		r.Errno = s.adopt(ctx, &q)
	} else {
		r.Errno, r.Msg, r.Recv = s.callLocal(ctx, &q)
	}
	r.SentNs = ctx.Sys.Now()
	r.Msg.Type = q.Msg.Type
	s.frame = gatewayproto.AppendReply(s.frame[:0], &r)
	_ = s.link.Respond(d.Inbox, s.frame, r.SentNs) // a lost reply times out there
}

// callLocal makes q's call of the local service.
func (s *Server) callLocal(ctx *ipc.Ctx, q *gatewayproto.Request) (uint16, ipc.Message, []byte) {
	id, err := ctx.Sys.Lookup(q.Service)
	if err != nil {
		return uint16(ipc.ErrNoInstance), ipc.Message{}, nil
	}
	req := ipc.Message{Type: q.Msg.Type, Len: q.Msg.Len, Payload: q.Msg.Payload}
	var rep ipc.Message
	x := &ipc.Extra{Send: q.Send, TimeoutNs: q.TimeoutNs}
	if q.RecvLen > 0 {
		x.Recv = make([]byte, q.RecvLen)
	}
	if err := ctx.Sys.CallWith(ipc.ServiceEndpoint(id), &req, &rep, x); err != nil {
		return uint16(ipc.ErrnoOf(err)), ipc.Message{}, nil
	}
	if rep.Errno != 0 {
		return rep.Errno, rep, nil
	}
	return 0, rep, x.Recv
}
