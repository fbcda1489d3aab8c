package pm

import (
	"errors"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/linux"
)

// DSStore is a Store in the data store (ds): pm's table outlives pm in
// ds, whose data outlive ds's own restarts. Each key goes under
// dsproto.SysPrefix, where only root (pm) may write it. It works from any
// placement of pm, a host process included: it is nothing but ds
// requests, made with the Sys of the request pm is serving.
type DSStore struct {
	dst ipc.Endpoint // the ds service, once looked up
}

// dsTimeoutNs bounds pm's wait for one ds request in virtual time: a hung
// ds must not hang pm, whose every change waits for its write. A write
// that times out leaves the table in pm's memory authoritative (see
// persist.go); a healthy ds answers in well under a millisecond, even as
// a host process under the slowest profile.
const dsTimeoutNs = 50_000_000

// NewDSStore returns a Store in the data store.
func NewDSStore() *DSStore { return &DSStore{} }

// client returns a ds client that makes its calls with sys.
func (s *DSStore) client(sys ipc.Sys) (*dsproto.Client, error) {
	if s.dst == 0 {
		c, err := dsproto.Dial(sys)
		if err != nil {
			return nil, err
		}
		s.dst = c.Dst
	}
	return &dsproto.Client{Sys: sys, Dst: s.dst, TimeoutNs: dsTimeoutNs}, nil
}

// Get implements Store.
func (s *DSStore) Get(sys ipc.Sys, key string) ([]byte, error) {
	c, err := s.client(sys)
	if err != nil {
		return nil, err
	}
	return c.Get(dsproto.SysPrefix + key)
}

// Put implements Store.
func (s *DSStore) Put(sys ipc.Sys, key string, value []byte) error {
	c, err := s.client(sys)
	if err != nil {
		return err
	}
	return c.Put(dsproto.SysPrefix+key, value)
}

// Delete implements Store.
func (s *DSStore) Delete(sys ipc.Sys, key string) error {
	c, err := s.client(sys)
	if err != nil {
		return err
	}
	if err := c.Delete(dsproto.SysPrefix + key); !errors.Is(err, linux.ENOENT) {
		return err
	}
	return nil
}

// List implements Store.
func (s *DSStore) List(sys ipc.Sys, prefix string) ([]string, error) {
	c, err := s.client(sys)
	if err != nil {
		return nil, err
	}
	keys, err := c.List(dsproto.SysPrefix + prefix)
	for i, k := range keys {
		keys[i] = k[len(dsproto.SysPrefix):]
	}
	return keys, err
}
