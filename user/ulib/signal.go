package ulib

import (
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/pmproto"
)

// Handler handles a caught signal. It runs on the program's own coroutine,
// inside the library call that took the signal (Poll, Sleep, Wait).
type Handler func(p *Proc, sig linux.Signal)

// TimerBit is the notification bit of the library's Sleep timer.
const TimerBit uint64 = 1 << 32

// Signal makes h handle sig from now on; a nil h restores the default
// action. EINVAL for SIGKILL, SIGSTOP and signals pm does not deliver.
func (p *Proc) Signal(sig linux.Signal, h Handler) error {
	d := pmproto.SigCatch
	if h == nil {
		d = pmproto.SigDefault
	}
	if err := p.sigaction(sig, d); err != nil {
		return err
	}
	p.handlers[sig] = h
	return nil
}

// Ignore makes the process ignore sig. Ignoring SIGCHLD also means no
// zombies: ended children are reaped at once, and Wait fails with ECHILD.
func (p *Proc) Ignore(sig linux.Signal) error {
	if err := p.sigaction(sig, pmproto.SigIgnore); err != nil {
		return err
	}
	p.handlers[sig] = nil
	return nil
}

func (p *Proc) sigaction(sig linux.Signal, d pmproto.Disposition) error {
	if !pmproto.ValidSignal(sig) {
		return linux.EINVAL
	}
	c, err := p.client()
	if err != nil {
		return err
	}
	_, err = c.Sigaction(sig, d)
	return err
}

// Poll takes the pending notifications without blocking and runs the
// handlers of the signals among them, lowest signal first; it returns how
// many ran. Other bits are kept for Pending.
func (p *Proc) Poll() int { return p.take(p.Sys.Poll()) }

// Pending returns the notification bits the library took that are neither
// signals nor its timer — the program's own — and forgets them.
func (p *Proc) Pending() uint64 {
	bits := p.other
	p.other = 0
	return bits
}

// take runs the handlers for the signal bits in bits and keeps the rest.
// SIGSTOP's bit is pm stopping the process: it waits here for SIGCONT's.
func (p *Proc) take(bits uint64) int {
	stop, cont := pmproto.SignalBit(linux.SIGSTOP), pmproto.SignalBit(linux.SIGCONT)
	if bits&stop != 0 && bits&cont == 0 {
		bits |= p.stopped()
	}
	p.other |= bits &^ (pmproto.SignalBits | TimerBit | PollBit)
	ran := 0
	for _, sig := range pmproto.Signals(bits & pmproto.SignalBits) {
		if h := p.handlers[sig]; h != nil {
			h(p, sig)
			ran++
		}
	}
	return ran
}

// stopped waits, stopped, until SIGCONT's bit arrives, and returns the
// notification bits that came meanwhile.
func (p *Proc) stopped() uint64 {
	cont := pmproto.SignalBit(linux.SIGCONT)
	var got uint64
	var m ipc.Message
	for got&cont == 0 {
		if err := p.Sys.Receive(ipc.KernelEndpoint, &m); err != nil {
			return got
		}
		got |= m.Word(0)
	}
	return got
}

// Sleep blocks for ns nanoseconds of virtual time, running the handlers of
// caught signals as they arrive; a handler that wants the sleep cut short
// ends the process or arranges it otherwise (there is no EINTR). It uses
// the task's one timer (Sys.SetTimer).
func (p *Proc) Sleep(ns int64) error {
	if ns <= 0 {
		p.Poll()
		return nil
	}
	deadline := p.Sys.Now() + ns
	if err := p.Sys.SetTimer(deadline, TimerBit); err != nil {
		return err
	}
	var m ipc.Message
	for {
		if err := p.Sys.Receive(ipc.KernelEndpoint, &m); err != nil {
			return err
		}
		bits := m.Word(0)
		p.take(bits)
		if bits&TimerBit != 0 || p.Sys.Now() >= deadline {
			return nil
		}
	}
}
