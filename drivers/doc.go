// Package drivers is the parent of the device drivers and of the simulated
// hardware they program: disk (the disk driver) and disk/hw (the simulated
// disk); tty (the console driver) and tty/hw (the simulated UART on the
// host's keyboard and screen); nic (the network card's driver) and nic/hw
// (the simulated card, the switch that joins several machines' cards, and
// a pcap writer); memdev (the memory devices, which need no
// hardware). A driver is a server like any other: it can crash
// and be restarted; the hardware model is separate and is not the driver.
//
// Imports: a driver imports ipc, protocol packages under ipc and its own
// subtree (its hardware model); never the kernel, a server, or another
// driver. A hardware model implements the kernel's Device interface
// structurally, without importing the kernel.
package drivers
