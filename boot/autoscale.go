package boot

import (
	"fmt"
	"slices"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/servers/autoscale"
)

// ScaleConf marks a server scalable (`scale:` under the server): the
// autoscale server keeps its number of instances between Min and Max,
// aiming at Queue requests in flight per instance and at a p99 latency
// (over the bus's window) under P99; either aim may be left out.
type ScaleConf struct {
	Min   int      `yaml:"min"`
	Max   int      `yaml:"max"`
	Queue float64  `yaml:"queue"`
	P99   Duration `yaml:"p99"`
}

// Scalable are the servers that may be scaled: stateless ones, where any
// instance may take any request.
var Scalable = []string{"echo", "echo2", "null", "worker"}

// check checks a server's scale: entry (nil: not scalable).
func (sc *ScaleConf) check(key string, s ServerConf) error {
	if sc == nil {
		return nil
	}
	switch {
	case !slices.Contains(Scalable, s.Name):
		return fmt.Errorf("%s: %s keeps state; only %v are scalable", key, s.Name, Scalable)
	case sc.Min < 1 || sc.Max < sc.Min || sc.Max > 64:
		return fmt.Errorf("%s: min %d and max %d must satisfy 1 <= min <= max <= 64", key, sc.Min, sc.Max)
	case sc.Queue < 0 || sc.P99 < 0 || sc.Queue == 0 && sc.P99 == 0:
		return fmt.Errorf("%s: give a positive queue (requests per instance) or p99 target", key)
	}
	return nil
}

// newAutoscaler is the autoscale server with a target for each server
// the configuration marks scalable.
func newAutoscaler(c *Config) ipc.Server {
	var o autoscale.Options
	for _, s := range c.Servers {
		if sc := s.Scale; sc != nil {
			o.Targets = append(o.Targets, autoscale.Target{Service: s.Name, Min: sc.Min, Max: sc.Max,
				QueuePerInstance: sc.Queue, P99Ns: int64(sc.P99)})
		}
	}
	return autoscale.New(o)
}
