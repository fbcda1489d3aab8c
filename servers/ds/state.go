package ds

import (
	"encoding/binary"
	"encoding/json"
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
	out, err := json.Marshal(&st)
	if err != nil {
		return 0, nil, err
	}
	return stateVersion, out, nil
}

// Restore takes the predecessor's subscriptions and generation.
func (s *Server) Restore(version int, data []byte) error {
	if version != stateVersion {
		return fmt.Errorf("ds: state v%d, this code reads v%d", version, stateVersion)
	}
	var st dsState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("ds: state: %w", err)
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
