package nic_test

// The driver's tests boot a kernel with a simulated card attached — alone,
// plugged into a one-port hairpin switch (its frames to itself come back),
// or on a switch with another machine's card in a kernel.Group — and the
// driver placed in user space (its own task, ipc.Serve) or in the kernel
// (Place: the handler runs in the caller's trap, the interrupt in a kernel
// thread). A task registered as "net" plays the net server: it is
// notified, and calls Recv. Task bodies use assert, never require: a body
// runs on its own coroutine.

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/mkos/mkos/drivers/nic"
	"github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/kernel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// placements are the two places a driver runs.
var placements = []struct {
	name  string
	place func(t testing.TB, k *kernel.Kernel, drv *nic.Driver)
}{
	{"user space", func(t testing.TB, k *kernel.Kernel, drv *nic.Driver) {
		_, err := k.Declare(nicproto.Name)
		require.NoError(t, err)
		priv := ipc.Priv{Name: "nic", Calls: ipc.KDevice | ipc.KNotify, Register: []string{nicproto.Name},
			Services: []string{nicproto.NotifyService}, Devices: []string{hw.DefaultName}}
		_, err = k.Spawn(ipc.TaskSpec{Name: "nic", Priv: &priv, Body: func(sys ipc.Sys) { ipc.Serve(sys, nicproto.Name, drv) }})
		require.NoError(t, err)
	}},
	{"kernel", func(t testing.TB, k *kernel.Kernel, drv *nic.Driver) {
		_, err := k.Place(nicproto.Name, drv)
		require.NoError(t, err)
	}},
}

// machine is a booted kernel with a card and its driver.
type machine struct {
	k    *kernel.Kernel
	card *hw.NIC
}

// bootMachine boots a kernel with card i (HostMAC(i, 0), as o says otherwise)
// and its driver placed by place, and declares the net service.
func bootMachine(t testing.TB, place func(testing.TB, *kernel.Kernel, *nic.Driver), i int, o hw.Options, seed uint64) *machine {
	t.Helper()
	k, err := kernel.New(kernel.Config{Seed: seed, MaxTimeNs: 10_000_000_000})
	require.NoError(t, err)
	_, err = k.Declare(nicproto.NotifyService)
	require.NoError(t, err)
	o.MAC = hw.HostMAC(i, 0)
	card, err := hw.New(o)
	require.NoError(t, err)
	place(t, k, nic.New(nic.Options{}))
	id, err := k.Attach(card, nicproto.Name, nic.IRQ)
	require.NoError(t, err)
	card.OnReceive = func(now int64) { k.Interrupt(id, now) }
	return &machine{k: k, card: card}
}

// loopback plugs m's card into a one-port hairpin switch.
func (m *machine) loopback(t testing.TB) {
	sw, err := hw.NewSwitch(hw.Single(m.k), hw.SwitchOptions{Hairpin: true})
	require.NoError(t, err)
	_, err = sw.Attach(0, m.card)
	require.NoError(t, err)
}

// task spawns a task that runs body with a NIC client.
func (m *machine) task(t testing.TB, name string, body func(sys ipc.Sys, c nicproto.Client)) {
	t.Helper()
	_, err := m.k.Spawn(ipc.TaskSpec{Name: name, Body: func(sys ipc.Sys) {
		dst, err := ipc.Dial(sys, nicproto.Name)
		if !assert.NoError(t, err) {
			return
		}
		body(sys, nicproto.Client{Sys: sys, Dst: dst})
	}})
	require.NoError(t, err)
}

// net spawns a task registered as the net service that waits for the
// driver's notifications and reads frames until it has want of them; it
// returns what it read, each with the virtual time it read it.
func (m *machine) net(t testing.TB, want int) *[]got {
	t.Helper()
	out := &[]got{}
	_, err := m.k.Spawn(ipc.TaskSpec{Name: "net", Prio: 1, Body: func(sys ipc.Sys) {
		if _, err := sys.Register(nicproto.NotifyService); !assert.NoError(t, err) {
			return
		}
		dst, _ := ipc.Dial(sys, nicproto.Name)
		c := nicproto.Client{Sys: sys, Dst: dst}
		buf := make([]byte, ipc.MaxBulk)
		for len(*out) < want {
			frames, err := c.Recv(buf, 0)
			if err == nil {
				for _, f := range frames {
					*out = append(*out, got{sys.Now(), append([]byte(nil), f...)})
				}
				continue
			}
			var msg ipc.Message
			if !assert.ErrorIs(t, err, ipc.ErrNoInstance) || !assert.NoError(t, sys.Receive(ipc.Any, &msg)) {
				return // EAGAIN is ErrNoInstance's value: nothing waits
			}
			assert.Equal(t, ipc.Notification, msg.Type)
			assert.Equal(t, nicproto.RxBit, msg.Word(0)&nicproto.RxBit)
		}
	}})
	require.NoError(t, err)
	return out
}

// got is a frame net read and when.
type got struct {
	atNs  int64
	frame []byte
}

// frame returns a frame from src to dst whose payload starts with seq,
// size bytes long.
func frame(dst, src hw.MAC, seq uint32, size int) []byte {
	f := make([]byte, size)
	copy(f, dst[:])
	copy(f[6:], src[:])
	binary.BigEndian.PutUint16(f[12:], 0x88b5)
	binary.BigEndian.PutUint32(f[14:], seq)
	return f
}

func seqOf(f []byte) uint32 { return binary.BigEndian.Uint32(f[14:]) }
