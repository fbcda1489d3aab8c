// Package hw is the simulated console hardware: a UART whose keyboard and
// screen are on the host. Bytes typed on the host wait in the UART's
// receive FIFO until the driver reads them; bytes the driver transmits
// appear on the host. It is the hardware, not the driver: it has no line
// discipline, never crashes, and knows nothing of processes or signals.
// The tty driver (package tty) is the software that programs it.
//
// # Two devices, one UART
//
// The kernel runs one operation at a time per device, and a console must
// listen and talk at once, so the UART is attached as two devices, its
// receiver and its transmitter ("tty0.rx", "tty0.tx"), each with its own
// interrupt bit, as a real UART has separate receive and transmit
// interrupts.
//
//	receiver     OpWait  complete when typed bytes wait in the FIFO
//	             OpRead  move them from the FIFO into the driver's buffer
//	transmitter  OpWrite show the buffer on the host screen
//
// Waiting and reading are two operations so that typed bytes stay in the
// FIFO, not in a driver's buffer, until a driver asks for them: a driver
// that dies with an OpWait on the device loses nothing, and its successor
// gets the completion (interrupts are routed by service).
//
// # The keyboard: script or live
//
// Script (Options.Interactive false): the input is a reader — a file, a
// pipe, a string in a test — read only when the driver waits for input,
// one line (or up to FIFOBytes) at a time, and available at once in
// virtual time. Nothing about the host's timing reaches the simulation:
// the chunks depend on the bytes alone, so the same input gives the same
// run. A host read blocks the simulation until the bytes are there, which
// changes nothing but wall time. At the end of the input the receiver
// reports a hangup, and nothing keeps the run alive.
//
// Live (Interactive true): the input is the host terminal, read by a host
// goroutine (the pump) into the FIFO as keys are pressed. An OpWait with
// nothing typed lasts IdleNs of virtual time and, when it completes, the
// UART holds the simulation until that much wall time has passed since the
// wait began, or until a key is pressed: while the console listens,
// virtual time runs no faster than the wall clock, so `sleep 5` takes five
// seconds and an idle system sleeps instead of spinning. A wait that
// ends with nothing typed completes with ErrIdle and the driver waits
// again; this is the one place host time enters mkos, and only in live
// mode, whose keystrokes are not reproducible anyway.
//
// Files:
//
//	uart.go      the UART, its options and counters
//	device.go    the receiver's and the transmitter's operations
//	keyboard.go  the script and live keyboards, the live pump
//	term.go      the host terminal: raw mode, isatty and size, through
//	             golang.org/x/term (Linux, macOS, Windows)
//	poll_unix.go polling the terminal for a key with a timeout (Unix);
//	poll_other.go  elsewhere the pump blocks in its read
//
// Imports: ipc and ipc/linux only of ours; golang.org/x/term, and
// golang.org/x/sys/unix for poll on Unix hosts.
package hw
