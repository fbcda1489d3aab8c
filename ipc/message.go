package ipc

import (
	"encoding/binary"
	"fmt"
)

// MessageSize is the size of a Message in bytes: a 16-byte header and a
// 48-byte inline payload, small enough that the IPC fast path copies it by
// value and allocates nothing (MINIX 3 messages are 64 bytes too).
const MessageSize = 64

// PayloadSize is the number of inline payload bytes in a Message.
const PayloadSize = 48

// PayloadWords is the number of 64-bit words in the payload.
const PayloadWords = PayloadSize / 8

// MaxBulk bounds the bulk data a single request may move with CopyIn or
// CopyOut, in bytes. Larger transfers are split by the caller.
const MaxBulk = 64 << 10

// Type says what a message asks for or answers. Each protocol numbers its own
// requests from 1; the kernel reserves the values from 0xff00 up.
type Type uint16

// Kernel-reserved message types.
const (
	// Notification is the type of the message Receive returns when
	// notification bits were pending; Word(0) holds the bits.
	Notification Type = 0xff01
	// Ping is sent by supervisors to check that a server still answers.
	// Serve answers it without calling the handler.
	Ping Type = 0xff02
	// NoReply, returned by a handler as its reply's Type, means "not yet":
	// the caller stays blocked until the server answers it later with
	// Sys.Reply (MINIX's "don't reply yet"). Drivers use it to answer when
	// the device interrupts.
	NoReply Type = 0xff03
	// PageFault is the request the kernel makes to the pager service ("mm", kernel.Config.Pager) on
	// behalf of a task that touched a page it may not: Source is the task
	// that waits, Word(0) the virtual address, Word(1) the FaultFlags, and
	// Word(2) the endpoint of the task whose ADDRESS SPACE faulted — the
	// same as Source, except in GrantCopy, where the copying task waits
	// while the granting task's page is brought in. mm maps the page into
	// Word(2)'s address space. The waiting task resumes on the reply, as if
	// it had called mm itself; a reply with an errno kills the faulting
	// task (SIGSEGV) or fails the GrantCopy with EFAULT. So does a third
	// ok in a row at one page that came without a mapping allowing the
	// access (the kernel sees the pager's VMMap and VMProtect calls).
	PageFault Type = 0xff04
)

// IsKernelType reports whether t is reserved for messages the kernel makes
// (Notification, PageFault); a task cannot send one. Ping and NoReply are
// reserved but may be used by tasks; StateGet and StatePut only by a task
// with the KUpdate privilege (the kernel checks).
func IsKernelType(t Type) bool { return t >= 0xff00 && t != Ping && t != NoReply && !IsStateType(t) }

// Message is the unit of IPC. The kernel copies it between tasks; the sender
// fills Type and the payload, the kernel stamps Source (and Service when the
// message was routed through the service bus). A reply carries Errno.
type Message struct {
	// Source is the task that sent the message, stamped by the kernel.
	// Whatever a sender writes here is overwritten.
	Source Endpoint
	// Type is the request or reply type.
	Type Type
	// Errno is 0 in a successful reply, a Linux errno value otherwise.
	Errno uint16
	// Service is the service the message was addressed to, stamped by the
	// kernel; 0 when it was sent to a task directly.
	Service ServiceID
	// Len is a payload length in bytes for messages that carry bytes.
	Len uint16
	// Payload is the inline data; protocols give it meaning.
	Payload [PayloadSize]byte
}

// Word returns payload word i (0 ≤ i < PayloadWords).
func (m *Message) Word(i int) uint64 {
	return binary.LittleEndian.Uint64(m.Payload[i*8:])
}

// SetWord sets payload word i (0 ≤ i < PayloadWords).
func (m *Message) SetWord(i int, v uint64) {
	binary.LittleEndian.PutUint64(m.Payload[i*8:], v)
}

// SetBytes copies b into the payload and sets Len; it reports whether b fit.
func (m *Message) SetBytes(b []byte) bool {
	if len(b) > PayloadSize {
		return false
	}
	m.Len = uint16(copy(m.Payload[:], b))
	return true
}

// Bytes returns the first Len bytes of the payload.
func (m *Message) Bytes() []byte {
	n := int(m.Len)
	if n > PayloadSize {
		n = PayloadSize
	}
	return m.Payload[:n]
}

// Err returns the reply's Errno as an error, nil when it is 0.
func (m *Message) Err() error {
	if m.Errno == 0 {
		return nil
	}
	return Errno(m.Errno)
}

// String renders the header for traces and test output.
func (m *Message) String() string {
	return fmt.Sprintf("{src=%v type=%#x errno=%d svc=%d len=%d}", m.Source, uint16(m.Type), m.Errno, m.Service, m.Len)
}

// Reply returns an empty successful reply to req.
func Reply(req *Message) Message {
	return Message{Type: req.Type}
}

// ErrorReply returns a reply to req that fails with errno e.
func ErrorReply(req *Message, e Errno) Message {
	return Message{Type: req.Type, Errno: uint16(e)}
}
