//go:build js

package cluster

import (
	"time"

	"errors"

	"github.com/mkos/mkos/boot"
)

// ErrNoNATS is what every entry point returns on js/wasm, where NATS does
// not build.
var ErrNoNATS = errors.New("cluster: nodes over NATS are not available on js/wasm")

type bridge struct{}

// Cluster is several nodes on one virtual timeline (not on js/wasm).
type Cluster struct{ Nodes []*Node }

// New fails on js/wasm.
func New(boot.Config, Options) (*Cluster, error) { return nil, ErrNoNATS }

// Join fails on js/wasm.
func Join(boot.Config, string, string, Options) (*Cluster, error) { return nil, ErrNoNATS }

// Serve fails on js/wasm.
func Serve(string, int) (string, func(), error) { return "", nil, ErrNoNATS }

// Run fails on js/wasm.
func (c *Cluster) Run() ([]*boot.Summary, error) { return nil, ErrNoNATS }

// Node returns nil on js/wasm.
func (c *Cluster) Node(string) *Node { return nil }

// Stop does nothing on js/wasm.
func (c *Cluster) Stop() {}

// Close does nothing on js/wasm.
func (c *Cluster) Close() error { return nil }

// RawRequest fails on js/wasm.
func RawRequest(int) (time.Duration, error) { return 0, ErrNoNATS }

// Kill does nothing on js/wasm.
func (c *Cluster) Kill(string, int64) bool { return false }

// Partition does nothing on js/wasm.
func (c *Cluster) Partition(string, int64, int64) bool { return false }

// Slow does nothing on js/wasm.
func (c *Cluster) Slow(string, int64, int64) bool { return false }
