package nic_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/drivers/nic/hw"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/nicproto"
)

// BenchmarkLoopback sends b.N frames of 1514 bytes through the driver to
// the card's own address and reads them back, with the driver in user
// space and in the kernel: the host time per frame (ns/op) and the virtual
// time per frame (virtual-ns/frame), for docs/network.md.
//
//	go test ./drivers/nic -run '^$' -bench Loopback -benchtime 20000x
func BenchmarkLoopback(b *testing.B) {
	for _, p := range placements {
		b.Run(p.name, func(b *testing.B) {
			m := bootMachine(b, p.place, 1, hw.Options{}, 1)
			m.loopback(b)
			out := m.net(b, b.N)
			m.task(b, "sender", func(sys ipc.Sys, c nicproto.Client) {
				f := frame(m.card.MAC(), m.card.MAC(), 0, 1514)
				for range b.N {
					for c.Send(f) != nil {
						sys.Sleep(10_000) // the queue is full: wait for the wire
					}
				}
			})
			b.ResetTimer()
			require.NoError(b, m.k.Run())
			b.StopTimer()
			require.Len(b, *out, b.N)
			b.ReportMetric(float64((*out)[b.N-1].atNs)/float64(b.N), "virtual-ns/frame")
		})
	}
}
