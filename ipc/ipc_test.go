package ipc

import (
	"errors"
	"fmt"
	"testing"
	"unsafe"

	"github.com/mkos/mkos/ipc/linux"
)

func TestMessageIs64Bytes(t *testing.T) {
	if got := unsafe.Sizeof(Message{}); got != MessageSize {
		t.Errorf("sizeof(Message) = %d, want %d", got, MessageSize)
	}
}

func TestEndpoints(t *testing.T) {
	tests := []struct {
		name    string
		ep      Endpoint
		service bool
		slot    uint32
		gen     uint32
		str     string
	}{
		{"task", TaskEndpoint(7, 3), false, 7, 3, "7.3"},
		{"big generation", TaskEndpoint(1, 1<<30), false, 1, 1 << 30, "1.1073741824"},
		{"service", ServiceEndpoint(5), true, 5, 0, "svc:5"},
		{"any", Any, false, 0, 0, "any"},
		{"kernel", KernelEndpoint, false, 0, 0, "kernel"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.ep.IsService(); got != tc.service {
				t.Errorf("IsService() = %v, want %v", got, tc.service)
			}
			if got := tc.ep.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if tc.service {
				if got := tc.ep.Service(); got != ServiceID(tc.slot) {
					t.Errorf("Service() = %d, want %d", got, tc.slot)
				}
				return
			}
			if tc.ep != Any && (tc.ep.Slot() != tc.slot || tc.ep.Gen() != tc.gen) {
				t.Errorf("Slot(), Gen() = %d, %d, want %d, %d", tc.ep.Slot(), tc.ep.Gen(), tc.slot, tc.gen)
			}
		})
	}
}

func TestPayload(t *testing.T) {
	var m Message
	for i := 0; i < PayloadWords; i++ {
		m.SetWord(i, uint64(i)*0x0101010101010101)
	}
	for i := 0; i < PayloadWords; i++ {
		if got, want := m.Word(i), uint64(i)*0x0101010101010101; got != want {
			t.Errorf("Word(%d) = %#x, want %#x", i, got, want)
		}
	}
	if !m.SetBytes([]byte("hello")) || string(m.Bytes()) != "hello" {
		t.Errorf("SetBytes/Bytes round trip = %q", m.Bytes())
	}
	if m.SetBytes(make([]byte, PayloadSize+1)) {
		t.Errorf("SetBytes of %d bytes = true, want false", PayloadSize+1)
	}
	m.Len = 200 // a corrupt length never reads past the payload
	if got := len(m.Bytes()); got != PayloadSize {
		t.Errorf("len(Bytes()) with Len=200 = %d, want %d", got, PayloadSize)
	}
}

func TestErrnoOf(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Errno
	}{
		{"nil", nil, 0},
		{"errno", ErrDead, linux.ESRCH},
		{"wrapped", fmt.Errorf("open /x: %w", linux.ENOENT), linux.ENOENT},
		{"other", errors.New("boom"), linux.EIO},
	}
	for _, tc := range tests {
		if got := ErrnoOf(tc.err); got != tc.want {
			t.Errorf("%s: ErrnoOf() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReplyCarriesErrno(t *testing.T) {
	req := Message{Type: 9}
	rep := ErrorReply(&req, linux.ENOENT)
	if rep.Type != 9 || !errors.Is(rep.Err(), linux.ENOENT) {
		t.Errorf("ErrorReply = %v, Err() = %v", rep.String(), rep.Err())
	}
	if ok := Reply(&req); ok.Err() != nil {
		t.Errorf("Reply().Err() = %v, want nil", ok.Err())
	}
}
