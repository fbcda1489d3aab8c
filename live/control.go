package live

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel"
)

// Op is a control that changes the system.
type Op string

// The controls that change the system. Each runs in a control task, through
// the system's own calls.
const (
	Crash   Op = "crash"   // rs arms a crash in the service, then a ping hits it
	Hang    Op = "hang"    // rs arms a hang in the service, then a ping hits it
	Restart Op = "restart" // rs restarts the service
	Kill    Op = "kill"    // the kernel kills the task (by slot or endpoint)
)

// Command is one control that changes the system: Op on Target, a service
// name or, for kill, a task's slot or endpoint.
type Command struct {
	Op     Op
	Target string
}

// String renders c as ParseCommand reads it: "crash fs".
func (c Command) String() string { return string(c.Op) + " " + c.Target }

// ParseCommand reads "crash fs", "hang mm", "restart fs" or "kill 12".
func ParseCommand(s string) (Command, error) {
	op, target, ok := strings.Cut(strings.TrimSpace(s), " ")
	target = strings.TrimSpace(target)
	if !ok || target == "" {
		return Command{}, fmt.Errorf("control %q: want OP TARGET (crash, hang or restart SERVICE; kill SLOT)", s)
	}
	c := Command{Op: Op(op), Target: target}
	switch c.Op {
	case Crash, Hang, Restart:
		if len(target) > rsproto.MaxName || strings.ContainsAny(target, " \t\n") {
			return Command{}, fmt.Errorf("control %q: %q is no service name", s, target)
		}
	case Kill:
		if _, _, err := parseTask(target); err != nil {
			return Command{}, fmt.Errorf("control %q: %w", s, err)
		}
	default:
		return Command{}, fmt.Errorf("control %q: unknown control %q (crash, hang, restart, kill)", s, op)
	}
	return c, nil
}

// parseTask reads a task's slot ("12") or endpoint as Endpoint.String
// writes it ("12.1"); gen is 0 for a bare slot.
func parseTask(s string) (slot, gen uint32, err error) {
	slotText, genText, dotted := strings.Cut(s, ".")
	sl, err := strconv.ParseUint(slotText, 10, 32)
	if err != nil || sl == 0 {
		return 0, 0, fmt.Errorf("%q is no task slot", s)
	}
	var g uint64
	if dotted {
		if g, err = strconv.ParseUint(genText, 10, 31); err != nil {
			return 0, 0, fmt.Errorf("%q is no task endpoint", s)
		}
	}
	return uint32(sl), uint32(g), nil
}

// Pause stops the engine at its next safe point.
func (m *Model) Pause() { m.set(func(h *hostSide) { h.paused = true }) }

// Resume lets a paused engine go on.
func (m *Model) Resume() { m.set(func(h *hostSide) { h.paused = false }) }

// Step lets a paused engine pass one safe point (one event), and pauses
// it again there.
func (m *Model) Step() { m.set(func(h *hostSide) { h.paused = true; h.steps++ }) }

// Stop ends the run at the engine's next safe point (kernel.Stop), paused
// or not.
func (m *Model) Stop() { m.set(func(h *hostSide) { h.stop, h.paused = true, false }) }

// SetSpeed sets the speed in virtual seconds per wall second; 0 (or less)
// runs as fast as possible.
func (m *Model) SetSpeed(virtualPerWall float64) {
	m.set(func(h *hostSide) { h.speed = max(virtualPerWall, 0) })
}

// Do queues c for the engine's next safe point. It returns an error for a
// command ParseCommand would refuse, or once the run is over.
func (m *Model) Do(c Command) error {
	if _, err := ParseCommand(c.String()); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.h.ended {
		return errors.New("control: the run is over")
	}
	m.h.cmds = append(m.h.cmds, c)
	m.poke()
	return nil
}

// Control runs a control by name: pause, resume, step, speed N (virtual
// seconds per wall second; max: as fast as possible), or a Command.
func (m *Model) Control(s string) error {
	word, arg, _ := strings.Cut(strings.TrimSpace(s), " ")
	switch word {
	case "pause":
		m.Pause()
	case "resume":
		m.Resume()
	case "step":
		m.Step()
	case "speed":
		if arg == "max" {
			m.SetSpeed(0)
			return nil
		}
		v, err := strconv.ParseFloat(arg, 64)
		if err != nil || v <= 0 || v > 1e12 {
			return fmt.Errorf("speed %q: want virtual seconds per wall second (like 0.01) or max", arg)
		}
		m.SetSpeed(v)
	default:
		c, err := ParseCommand(s)
		if err != nil {
			return err
		}
		return m.Do(c)
	}
	return nil
}

// Speed returns the speed views asked for.
func (m *Model) Speed() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.h.speed
}

func (m *Model) set(f func(h *hostSide)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f(&m.h)
	m.poke()
}

// apply takes c at this safe point: it writes it to the trace and spawns
// the control task that carries it out.
func (m *Model) apply(c Command) {
	now := m.k.Now()
	if c.Op == Kill {
		c.Target = m.resolve(c.Target)
	}
	m.taken = append(m.taken, c)
	if m.opt.Inner != nil {
		m.opt.Inner.Event(&kernel.Event{Kind: kernel.EvControl, T: now, Word: m.safe, Detail: c.String()})
	}
	m.note(now, "control", c.String(), "")
	p := ControlPriv()
	cred := ipc.Root
	_, err := m.k.Spawn(ipc.TaskSpec{Name: "ctl", Priv: &p, Cred: &cred, Body: m.controlBody(c)})
	if err != nil {
		m.note(now, "control", c.String(), "failed: "+err.Error())
	}
}

// resolve names the live task in a bare slot by its endpoint, so the kill
// reaches that task and no later one; a slot with no task stays as it is
// (the kill fails: no such task).
func (m *Model) resolve(target string) string {
	slot, gen, _ := parseTask(target)
	if gen != 0 {
		return target
	}
	for _, t := range m.k.TaskViews() {
		if t.Endpoint.Slot() == slot {
			return t.Endpoint.String()
		}
	}
	return target
}

// ControlPriv is the control task's privilege record: it may kill tasks
// and call rs (which arms faults and restarts services for root), and
// nothing else privileged.
func ControlPriv() ipc.Priv {
	p := ipc.UserPriv()
	p.Name, p.Calls = "live", ipc.KKill
	return p
}

// pingSlack is how long the control task waits for the ping that an armed
// fault hits: long enough for a server still busy starting up.
const pingSlack = time.Second

// controlBody is the control task's code for c.
func (m *Model) controlBody(c Command) func(ipc.Sys) {
	return func(sys ipc.Sys) {
		err := m.carryOut(sys, c)
		result := "done"
		if err != nil {
			result = "failed: " + err.Error()
		}
		m.note(sys.Now(), "control", c.String(), result)
	}
}

func (m *Model) carryOut(sys ipc.Sys, c Command) error {
	switch c.Op {
	case Kill:
		slot, gen, _ := parseTask(c.Target)
		return sys.Kill(ipc.TaskEndpoint(slot, gen))
	case Restart:
		rs, err := rsproto.Dial(sys)
		if err != nil {
			return err
		}
		_, _, err = rs.Restart(c.Target)
		return err
	}
	kind := ipc.InjectCrash
	if c.Op == Hang {
		kind = ipc.InjectHang
	}
	rs, err := rsproto.Dial(sys)
	if err != nil {
		return err
	}
	if err := rs.Inject(c.Target, kind, 0); err != nil {
		return err
	}
	id, err := sys.Lookup(c.Target)
	if err != nil {
		return err
	}
	req, rep := ipc.Message{Type: ipc.Ping}, ipc.Message{}
	sys.CallWith(ipc.ServiceEndpoint(id), &req, &rep, &ipc.Extra{TimeoutNs: int64(pingSlack)})
	return nil // the ping's failure is the fault's effect
}

// Script is the controls of a run, each at its safe point, oldest first.
type Script []Step

// Step is one control taken at safe point At.
type Step struct {
	At  uint64
	Cmd Command
}

// ScriptOf returns the controls a trace recorded (its EvControl events).
func ScriptOf(events []kernel.Event) (Script, error) {
	var s Script
	for _, e := range events {
		if e.Kind != kernel.EvControl {
			continue
		}
		c, err := ParseCommand(e.Detail)
		if err != nil {
			return nil, fmt.Errorf("trace at %d ns: %w", e.T, err)
		}
		s = append(s, Step{At: e.Word, Cmd: c})
	}
	return s, nil
}

// replay takes the script's controls due at this safe point.
func (m *Model) replay() {
	for len(m.script) > 0 && m.script[0].At <= m.safe {
		m.apply(m.script[0].Cmd)
		m.script = m.script[1:]
	}
}
