package ds

import (
	"encoding/binary"
	"fmt"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
)

// Live update (ipc.Stateful): the keys stay in the store, which the
// successor opens as a restarted instance would; what lives in the
// instance moves — the subscribers with their prefixes, queued changes
// and overflow marks, and the generation, which the successor keeps
// (and writes back to the store), so no client takes the update for a
// restart.

// stateVersion is the layout of dsState.
const stateVersion = 1

type dsState struct {
	Gen  uint64
	Subs []subState // in subscription order
}

type subState struct {
	Ep       ipc.Endpoint
	Bits     uint64
	Prefixes []string
	Queue    []dsproto.Change
	Overflow bool
}

// State returns the subscriptions and the generation.
func (s *Server) State() (int, []byte, error) {
	st := dsState{Gen: s.gen}
	for _, sub := range s.subs {
		st.Subs = append(st.Subs, subState{Ep: sub.ep, Bits: sub.bits, Prefixes: sub.prefixes, Queue: sub.queue, Overflow: sub.overflow})
	}
	return ipc.StateJSON(stateVersion, &st)
}

// Restore takes the predecessor's subscriptions and generation.
func (s *Server) Restore(version int, data []byte) error {
	var st dsState
	if err := ipc.RestoreJSON("ds", stateVersion, version, data, &st); err != nil {
		return err
	}
	if len(st.Subs) > s.opt.MaxSubscribers {
		return fmt.Errorf("ds: %d subscribers, this instance holds %d", len(st.Subs), s.opt.MaxSubscribers)
	}
	s.subs = nil
	for _, sub := range st.Subs {
		s.subs = append(s.subs, &subscriber{ep: sub.Ep, bits: sub.Bits, prefixes: sub.Prefixes, queue: sub.Queue, overflow: sub.Overflow})
	}
	if s.startErr == nil {
		s.startErr = s.st.Put(genKey, binary.LittleEndian.AppendUint64(nil, st.Gen))
	}
	s.gen = st.Gen
	return nil
}

var _ ipc.Stateful = (*Server)(nil)
