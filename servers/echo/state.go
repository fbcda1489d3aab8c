package echo

import (
	"encoding/binary"
	"fmt"

	"github.com/mkos/mkos/ipc"
)

// stateVersion is the layout of echo's state: version 1 is the count of
// requests served, 8 bytes little-endian.
const stateVersion = 1

// State hands the count over to the next instance (ipc.Stateful).
func (s *Server) State() (int, []byte, error) {
	return stateVersion, binary.LittleEndian.AppendUint64(nil, s.served), nil
}

// Restore takes the count from the previous instance.
func (s *Server) Restore(version int, data []byte) error {
	if version != stateVersion || len(data) != 8 {
		return fmt.Errorf("echo: state v%d of %d bytes, want v%d of 8", version, len(data), stateVersion)
	}
	s.served = binary.LittleEndian.Uint64(data)
	return nil
}

// Faulty is echo-faulty, a new version of echo that cannot read the
// state the running one hands over (it knows only a layout 2 that no
// echo writes): `svc update echo echo-faulty` is rolled back, and the
// old instance serves on with its count.
type Faulty struct{ Server }

// NewFaulty returns echo-faulty.
func NewFaulty() ipc.Server { return &Faulty{} }

// Restore refuses every state but layout 2.
func (f *Faulty) Restore(version int, data []byte) error {
	if version != 2 {
		return fmt.Errorf("echo-faulty: state v%d, this code reads v2 only", version)
	}
	return f.Server.Restore(stateVersion, data)
}

var (
	_ ipc.Stateful = (*Server)(nil)
	_ ipc.Stateful = (*Faulty)(nil)
)
