package wasi

import (
	"context"

	"github.com/mkos/mkos/ipc"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// CPU time. LECTURE: wasm-cpu
//
// A wasm program computes on the host, where virtual time does not pass.
// So that it costs virtual time as a native program's Compute does, every
// function call it makes (its own functions and the WASI imports) is
// counted by a function listener compiled into the module, and each
// ChargeBatch calls charge ChargeBatch × NsPerCall of virtual CPU time
// (Sys.Compute); starting the module (instantiating it and running its
// runtime's initialisation up to main) is charged StartNs at once. The charge is a trap: the kernel may preempt the program
// there, and a program killed meanwhile stops there, even in a loop that
// makes no system call — as long as the loop calls a function.
//
// The count is deterministic (the same program and input make the same
// calls), so the charge is too. NsPerCall and StartNs are a line fitted
// to host times (tests/wasi's BenchmarkCalibrate: Go programs, wazero's
// compiler, an AMD EPYC at 2 cores): run time ≈ StartNs + calls ×
// NsPerCall. How far the charge is from the host time of each program
// is the error, which docs/programs.md reports. A loop that calls no
// function is not charged; nor is compiling a module (cache.go).

// NsPerCall is the virtual time one function call of a wasm program is
// charged.
const NsPerCall = 11

// StartNs is the virtual time starting a module is charged.
const StartNs = 2_000_000

// ChargeBatch is how many calls are charged at once.
const ChargeBatch = 1024

// meter counts the calls of one run and charges them to its task.
type meter struct {
	sys   ipc.Sys
	calls int64 // counted and not yet charged
	total int64 // counted in all
}

// meterKey finds a run's meter in the context its functions are called with.
type meterKey struct{}

// count records one call and charges a full batch.
func (m *meter) count() {
	m.calls++
	m.total++
	if m.calls == ChargeBatch {
		m.flush()
	}
}

// flush charges the calls counted since the last charge.
func (m *meter) flush() {
	if m.calls > 0 {
		n := m.calls
		m.calls = 0
		m.sys.Compute(n * NsPerCall)
	}
}

// listenerFactory gives every function the one listener.
type listenerFactory struct{}

// NewFunctionListener implements experimental.FunctionListenerFactory.
func (listenerFactory) NewFunctionListener(api.FunctionDefinition) experimental.FunctionListener {
	return listener{}
}

// listener counts a call into the meter of the run that makes it.
type listener struct{}

// Before implements experimental.FunctionListener.
func (listener) Before(ctx context.Context, _ api.Module, _ api.FunctionDefinition, _ []uint64, _ experimental.StackIterator) {
	if m, ok := ctx.Value(meterKey{}).(*meter); ok {
		m.count()
	}
}

// After implements experimental.FunctionListener.
func (listener) After(context.Context, api.Module, api.FunctionDefinition, []uint64) {}

// Abort implements experimental.FunctionListener.
func (listener) Abort(context.Context, api.Module, api.FunctionDefinition, error) {}
