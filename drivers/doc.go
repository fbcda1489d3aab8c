// Package drivers is the parent of the device drivers (disk, tty, rtc, the
// memory devices) and of the simulated hardware they program, which come
// with the storage and system-services issues. A driver is a server like any
// other: it can crash and be restarted; the hardware model is separate and
// is not the driver.
//
// Imports: a driver imports ipc and protocol packages under ipc; never the
// kernel, a server, or another driver.
package drivers
