//go:build !js

package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/require"

	"github.com/mkos/mkos/servers/ds/store"
)

// BenchmarkBackends measures the host time of a put, a get and a scan of
// 100 keys on each backend (go test -run '^$' -bench Backends
// ./servers/ds/store). None of it is virtual time: the simulation does
// not see the store's host I/O.
func BenchmarkBackends(b *testing.B) {
	opens := []struct {
		name string
		open func(b *testing.B) store.Store
	}{
		{"memory", func(*testing.B) store.Store { return store.NewMemory() }},
		{"bolt", func(b *testing.B) store.Store {
			s, err := store.OpenBolt(filepath.Join(b.TempDir(), store.BoltFile))
			require.NoError(b, err)
			return s
		}},
		{"redis-miniredis", func(b *testing.B) store.Store {
			s, err := store.OpenRedis(store.RedisOptions{Addr: miniredis.RunT(b).Addr()})
			require.NoError(b, err)
			return s
		}},
	}
	for _, o := range opens {
		s := o.open(b)
		for i := range 100 {
			require.NoError(b, s.Put(fmt.Sprintf("scan/%03d", i), []byte("v")))
		}
		b.Run(o.name+"/put", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if err := s.Put(fmt.Sprintf("k/%d", i%1000), []byte("value")); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(o.name+"/get", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Get("scan/050"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(o.name+"/scan100", func(b *testing.B) {
			for b.Loop() {
				if err := s.Scan("scan/", "", func(string) bool { return true }); err != nil {
					b.Fatal(err)
				}
			}
		})
		s.Close()
	}
}
