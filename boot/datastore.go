package boot

import (
	"fmt"
	"strings"

	"github.com/mkos/mkos/servers/ds/store"
)

// DSConf chooses the data store's backend: where ds keeps its keys.
//
//	ds: {backend: redis, addr: 127.0.0.1:6379}
//
// Without it the store is the bbolt file in data_dir when one is set, and
// memory otherwise.
type DSConf struct {
	// Backend is memory, bolt (the file in data_dir, which it needs) or
	// redis (a Redis server at Addr). Empty is bolt with a data_dir and
	// memory without.
	Backend string `yaml:"backend"`
	// Addr is the Redis server's host:port (redis only).
	Addr string `yaml:"addr"`
	// DB is the Redis database number (redis only; default 0).
	DB int `yaml:"db"`
	// Namespace starts the Redis keys the store uses (redis only;
	// default store.DefaultNamespace, "mkos:ds"). Systems on the same
	// server, database and namespace share one data store.
	Namespace string `yaml:"namespace"`
}

// dsBackends are the names ds.backend takes.
var dsBackends = []string{"memory", "bolt", "redis"}

// backend returns the backend the configuration chooses.
func (c *Config) dsBackend() string {
	switch {
	case c.DS.Backend != "":
		return c.DS.Backend
	case c.DataDir != "":
		return "bolt"
	}
	return "memory"
}

// checkDS checks ds: against data_dir.
func (c *Config) checkDS() error {
	d := c.DS
	switch d.Backend {
	case "", "memory", "bolt", "redis":
	default:
		return fmt.Errorf("ds.backend: %q is not one of %s", d.Backend, strings.Join(dsBackends, ", "))
	}
	b := c.dsBackend()
	switch {
	case b == "bolt" && c.DataDir == "":
		return fmt.Errorf("ds.backend: bolt keeps its file in data_dir, which is not set")
	case b != "bolt" && c.DataDir != "":
		return fmt.Errorf("data_dir: the %s data store has no file to keep there: leave data_dir unset, or use ds.backend bolt", b)
	case b == "redis" && d.Addr == "":
		return fmt.Errorf("ds.addr: the redis data store needs its server's host:port")
	case b != "redis" && (d.Addr != "" || d.DB != 0 || d.Namespace != ""):
		return fmt.Errorf("ds: addr, db and namespace are the redis backend's; ds.backend is %s", b)
	case d.DB < 0:
		return fmt.Errorf("ds.db: %d must not be negative", d.DB)
	}
	return nil
}

// openDS opens the backend the configuration chooses. Errors name where
// the store was to be.
func (c *Config) openDS() (store.Store, error) {
	switch b := c.dsBackend(); b {
	case "redis":
		st, err := store.OpenRedis(store.RedisOptions{Addr: c.DS.Addr, DB: c.DS.DB, Namespace: c.DS.Namespace})
		if err != nil {
			return nil, fmt.Errorf("ds.addr %s: %w", c.DS.Addr, err)
		}
		return st, nil
	case "bolt":
		st, err := store.OpenNamed(b, c.DataDir)
		if err != nil {
			return nil, fmt.Errorf("data_dir %s: %w", c.DataDir, err)
		}
		return st, nil
	}
	return store.NewMemory(), nil
}
