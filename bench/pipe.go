package bench

import (
	"bytes"
	"fmt"

	"github.com/mkos/mkos/boot"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/streamproto"
)

// pipeMsgBytes is the size of one message through the pipe.
const pipeMsgBytes = 64

// pipeState is the two pipes between the benchmark task and its peer.
type pipeState struct {
	c                      streamproto.Client
	toR, toW, fromR, fromW streamproto.Handle
	msg, buf               []byte
}

var pipeWorkload = &Workload{
	Name:       "pipe",
	Doc:        "a 64-byte message to a peer task through one pipe and its echo back through another",
	Needs:      []string{streamproto.PipeService},
	Setup:      pipeSetup,
	Op:         pipeOp,
	Teardown:   pipeTeardown,
	VirtualOps: 500,
}

// registerPipe adds pipe to the suite once boot can place the pipe
// server; until then it is among the Missing.
func registerPipe() {
	if boot.Servers[streamproto.PipeService] == nil {
		return
	}
	Suite[pipeWorkload.Name] = pipeWorkload
	delete(Missing, pipeWorkload.Name)
}

// pipeSetup makes the two pipes and spawns the peer, which echoes what
// it reads until the end of file.
func pipeSetup(e *Env) error {
	c, err := streamproto.Dial(e.Sys, streamproto.PipeService)
	if err != nil {
		return err
	}
	st := &pipeState{c: c, msg: bytes.Repeat([]byte("p"), pipeMsgBytes), buf: make([]byte, pipeMsgBytes)}
	if st.toR, st.toW, err = c.Pipe(); err != nil {
		return err
	}
	if st.fromR, st.fromW, err = c.Pipe(); err != nil {
		return err
	}
	e.State = st
	_, err = e.Sys.Spawn(ipc.TaskSpec{Name: "peer", Body: func(sys ipc.Sys) { pipeEcho(streamproto.Client{Sys: sys, Dst: c.Dst}, st) }})
	return err
}

// pipeEcho is the peer: it writes back each message it reads.
func pipeEcho(c streamproto.Client, st *pipeState) {
	buf := make([]byte, pipeMsgBytes)
	for {
		n, err := c.Read(st.toR, buf)
		if err != nil || n == 0 {
			_ = c.Close(st.fromW)
			return
		}
		if _, err := c.Write(st.fromW, buf[:n]); err != nil {
			return
		}
	}
}

// pipeOp sends a message and reads its echo whole.
func pipeOp(e *Env, _ int) error {
	st := e.State.(*pipeState)
	if _, err := st.c.Write(st.toW, st.msg); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	for got := 0; got < pipeMsgBytes; {
		n, err := st.c.Read(st.fromR, st.buf[got:])
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("read: end of file after %d bytes", got)
		}
		got += n
	}
	if !bytes.Equal(st.buf, st.msg) {
		return fmt.Errorf("the echo differs from the message")
	}
	return nil
}

// pipeTeardown closes the write end: the peer sees the end of file and
// exits.
func pipeTeardown(e *Env) error {
	st := e.State.(*pipeState)
	return st.c.Close(st.toW)
}
