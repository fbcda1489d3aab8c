package main

import (
	"fmt"
	"os"

	"github.com/mkos/mkos/kernel"
)

// traceFile is the --trace output of run: every kernel event as a JSON
// line in a host file.
type traceFile struct {
	path   string
	f      *os.File
	j      *kernel.JSONTracer
	closed bool
}

// traceHelp is the --trace flag's help in every command that has it.
const traceHelp = "write every kernel event to this file as JSON lines (mkos trace reads it)"

// openTrace creates the trace file; with no path there is none (nil).
func openTrace(path string) (*traceFile, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &traceFile{path: path, f: f, j: kernel.NewJSONTracer(f)}, nil
}

// tracer is what the kernel writes to: nil (no tracing) without a file.
func (t *traceFile) tracer() kernel.Tracer {
	if t == nil {
		return nil
	}
	return t.j
}

// close writes out the buffered events and closes the file; it reports
// the first write error. Calling it again does nothing.
func (t *traceFile) close() error {
	if t == nil || t.closed {
		return nil
	}
	t.closed = true
	err := t.j.Flush()
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("trace %s: %w", t.path, err)
	}
	return nil
}
