// Package hw is the simulated network hardware: a network interface card
// (NIC) that the NIC driver programs through the kernel (DevStart, its
// interrupts, DevDone), a switch that joins the NICs of several simulated
// machines, and a pcap writer that records every frame on the wire. It is
// the hardware, not the driver: it cannot crash; the driver in package nic
// is the software that can.
//
// The pieces, bottom up:
//
//	frame.go   Ethernet addresses and the header fields the switch reads
//	nic.go     the card: a transmitter that serializes one frame at a
//	           time at the link's speed, a bounded receive ring the switch
//	           fills, the link state and the counters
//	nic_ops.go the device operations the driver starts (send, receive a
//	           batch, identify) and their encodings
//	link.go    a link's parameters (latency, loss, duplication,
//	           reordering, loss bursts, a port speed and queue) and the
//	           seeded draws and the drop-tail queue that apply them
//	switch.go  the switch: ports, MAC learning and flooding, partitions,
//	           delivery to another machine's NIC through a Poster
//	pcap.go    the classic pcap format, with virtual timestamps
//
// # Time and determinism
//
// Everything happens in virtual time. A NIC implements the kernel's Device
// interface structurally (Name, Start, Finish) and never imports the
// kernel: a send completes after the frame's serialization time, and
// Finish puts it on the wire. The switch hands a frame to each receiving
// NIC through a Poster (kernel.Group satisfies it; Single adapts one
// kernel), so the delivery runs in the receiving kernel's context at the
// virtual time the link says, ordered with that kernel's other events. The
// switch draws its faults from its own PCG generator, seeded, in the order
// frames reach it — which the group makes deterministic — and never
// iterates a map: the same seed gives the same frames, drops and times.
//
// Imports: ipc, ipc/linux and the standard library.
package hw
