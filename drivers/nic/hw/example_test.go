package hw_test

import (
	"bytes"
	"fmt"

	"github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/kernel"
)

// A card on a one-port hairpin switch, programmed by a task as a driver
// would: it sends a broadcast, which comes back, and reads it off the
// card. The send starts after the task's traps (135 ns) and takes 672 ns
// on the wire; the frame is back 5 µs later and its copy takes 16 ns. The
// capture records it at the time its last bit left.
func ExampleSwitch() {
	k, _ := kernel.New(kernel.Config{})
	k.Declare("drv")
	card, _ := hw.New(hw.Options{MAC: hw.HostMAC(1, 0)})
	id, _ := k.Attach(card, "drv", 1)
	card.OnReceive = func(now int64) { k.Interrupt(id, now) }
	var capture bytes.Buffer
	pcap, _ := hw.NewPcap(&capture, true)
	sw, _ := hw.NewSwitch(hw.Single(k), hw.SwitchOptions{Hairpin: true, Link: hw.Link{LatencyNs: 5000}, Pcap: pcap})
	sw.Attach(0, card)

	k.Spawn(ipc.TaskSpec{Name: "drv", Body: func(sys ipc.Sys) {
		sys.Register("drv")
		dev, _ := sys.Device(card.Name())
		frame := make([]byte, 60)
		copy(frame, hw.Broadcast[:])
		mac := card.MAC()
		copy(frame[6:], mac[:])
		sys.DevStart(dev, &ipc.DevRequest{Op: hw.OpSend, Arg: [4]int64{60}, Buf: frame})
		var m ipc.Message
		sys.Receive(ipc.Any, &m) // the send's completion
		c, _ := sys.DevDone(dev)
		fmt.Println("sent", c.N, "bytes at", c.DoneNs)
		sys.Receive(ipc.Any, &m) // the frame came back
		buf := make([]byte, 2048)
		sys.DevStart(dev, &ipc.DevRequest{Op: hw.OpRecv, Buf: buf})
		sys.Receive(ipc.Any, &m)
		c, _ = sys.DevDone(dev)
		f, _, _ := hw.NextFrame(buf[:c.N])
		fmt.Println("received", len(f), "bytes at", c.DoneNs)
	}})
	k.Run()
	fmt.Println("captured", pcap.Frames(), "frame,", capture.Len(), "bytes of pcap")
	// Output:
	// sent 60 bytes at 807
	// received 60 bytes at 5853
	// captured 1 frame, 100 bytes of pcap
}
