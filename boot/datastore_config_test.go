package boot

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// ds: and data_dir choose the backend together; what they cannot mean is
// an error naming the key.
func TestDSConfig(t *testing.T) {
	cases := []struct {
		name, yaml, backend, err string
	}{
		{"default is memory", "", "memory", ""},
		{"data_dir is bolt", "data_dir: /tmp/x", "bolt", ""},
		{"memory", "ds: {backend: memory}", "memory", ""},
		{"bolt with data_dir", "ds: {backend: bolt}\ndata_dir: /tmp/x", "bolt", ""},
		{"redis", "ds: {backend: redis, addr: 127.0.0.1:6379, db: 2, namespace: lab}", "redis", ""},
		{"unknown backend", "ds: {backend: etcd}", "", `ds.backend: "etcd" is not one of memory, bolt, redis`},
		{"bolt without data_dir", "ds: {backend: bolt}", "", "not set"},
		{"redis without addr", "ds: {backend: redis}", "", "ds.addr"},
		{"redis with data_dir", "ds: {backend: redis, addr: h:1}\ndata_dir: /tmp/x", "", "data_dir: the redis data store"},
		{"addr without redis", "ds: {addr: h:1}", "", "the redis backend's"},
		{"negative db", "ds: {backend: redis, addr: h:1, db: -1}", "", "ds.db"},
		{"unknown key", "ds: {backend: redis, adr: h:1}", "", "unknown key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse([]byte(c.yaml))
			if c.err != "" {
				assert.ErrorContains(t, err, c.err)
				return
			}
			if assert.NoError(t, err) {
				assert.Equal(t, c.backend, cfg.dsBackend())
			}
		})
	}
}
