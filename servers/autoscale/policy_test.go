package autoscale

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
)

// decide scales up only after UpAfter hot periods in a row (as far as the
// load asks, up to Max), down one after DownAfter cold ones (to Min), and
// holds in between.
func TestDecide(t *testing.T) {
	h := Hysteresis{UpAfter: 2, DownAfter: 3}
	queue := Target{Service: "worker", Min: 1, Max: 4, QueuePerInstance: 2}
	p99 := Target{Service: "worker", Min: 2, Max: 3, P99Ns: 1000}
	tests := []struct {
		name     string
		target   Target
		live     int
		inFlight []int64 // one period each
		p99Ns    int64
		busyNs   int64 // over a window of 1000 ns: the mean in flight × 1000
		want     []int
	}{
		{"one hot period is not enough", queue, 1, []int64{5, 0}, 0, 0, []int{1, 1}},
		{"two hot periods scale to the load", queue, 1, []int64{5, 5}, 0, 0, []int{1, 3}},
		{"no further than Max", queue, 1, []int64{50, 50}, 0, 0, []int{1, 4}},
		{"a lukewarm period breaks the streak", queue, 1, []int64{5, 2, 5}, 0, 0, []int{1, 1, 1}},
		{"cold periods scale down one", queue, 3, []int64{0, 0, 0}, 0, 0, []int{3, 3, 2}},
		{"never below Min", p99, 2, []int64{0, 0, 0}, 0, 0, []int{2, 2, 2}},
		{"below Min comes up at once", p99, 1, []int64{0}, 400, 0, []int{2}},
		{"p99 over the target scales up", p99, 2, []int64{0, 0}, 5000, 0, []int{2, 3}},
		{"a down service is rs's business", queue, 0, []int64{9, 9}, 0, 0, []int{0, 0}},
		{"a lull in a busy window is not cold", queue, 3, []int64{0, 0, 0}, 0, 4000, []int{3, 3, 3}},
		{"a busy window is hot", queue, 1, []int64{0, 0}, 0, 5000, []int{1, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s streak
			var got []int
			for _, n := range tt.inFlight {
				m := rsproto.ServiceStats{Name: "worker", BusMetrics: ipc.BusMetrics{InFlight: n, P99Ns: tt.p99Ns, WindowNs: 1000, BusyNs: tt.busyNs}}
				got = append(got, tt.target.decide(&m, tt.live, h, &s))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
