package netproto

import (
	"net/netip"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

func TestAddrRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    netip.AddrPort
	}{
		{"zero", netip.AddrPort{}},
		{"v4", netip.MustParseAddrPort("10.0.0.1:7")},
		{"v4 any", netip.MustParseAddrPort("0.0.0.0:0")},
		{"v6", netip.MustParseAddrPort("[fe80::1]:65535")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m ipc.Message
			for _, off := range []int{AddrOff, SendAddrOff} {
				PutAddr(&m, off, tc.a)
				if got, err := GetAddr(&m, off); got != tc.a || err != nil {
					t.Errorf("GetAddr(PutAddr(%v), %d) = %v, %v, want %v, nil", tc.a, off, got, err, tc.a)
				}
			}
		})
	}
}

func TestGetAddrGarbage(t *testing.T) {
	var m ipc.Message
	m.Payload[AddrOff] = 5
	if _, err := GetAddr(&m, AddrOff); err != linux.EINVAL {
		t.Errorf("GetAddr(family 5) error = %v, want EINVAL", err)
	}
}

func TestTypesPastStreams(t *testing.T) {
	for typ, name := range Names {
		if typ < 64 {
			t.Errorf("request %s has type %d, want >= 64 (past streamproto's)", name, typ)
		}
	}
}
