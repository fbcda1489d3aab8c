//go:build js

package shard

import (
	"context"

	"github.com/mkos/mkos/faults"
)

// Run is ErrNoNATS under js/wasm, where NATS cannot run.
func Run(ctx context.Context, o Options) (*faults.Report, error) { return nil, ErrNoNATS }

// Worker is a NATS worker; under js/wasm it cannot serve.
type Worker struct {
	Name     string
	Parallel int
	Log      func(format string, args ...any)
}

// Join is ErrNoNATS under js/wasm.
func (w *Worker) Join(ctx context.Context, url string) error { return ErrNoNATS }
