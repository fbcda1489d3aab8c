package boot

import (
	"fmt"
	netsrv "github.com/mkos/mkos/servers/net"

	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/ds/store"
	"github.com/mkos/mkos/servers/pm"
)

// kept is the state that outlives one instance of a server within a
// booted system: what a restarted server finds again. ds keeps its store
// (memory, bbolt under data_dir or Redis, which also outlive mkos), pm its
// process table. This is how a restart becomes invisible to clients. In
// a server process, ds and pmRemote are the parent's store and table,
// reached through the process's window (process_store.go,
// process_table.go).
type kept struct {
	ds       store.Store
	dsErr    error
	pmTable  *pm.MemStore
	pmRemote pm.Store
	pulse    *kernel.Pulse  // the kernel's, for pm's Loader; nil without a watchdog
	net      *netsrv.Server // the newest net server, whose stack Close stops (net.go)
}

// state returns the system's kept state, creating it.
func (c *Config) state() *kept {
	if c.keep == nil {
		c.keep = &kept{}
	}
	return c.keep
}

// dsStore opens the data store's backend once per system: the one ds:
// names (datastore.go), else bbolt in data_dir when one is configured,
// memory otherwise.
func (k *kept) dsStore(c *Config) (store.Store, error) {
	if k.ds == nil && k.dsErr == nil {
		k.ds, k.dsErr = c.openDS()
		if k.dsErr == nil {
			if k.dsErr = clearSys(k.ds); k.dsErr != nil {
				k.ds.Close()
				k.ds, k.dsErr = nil, fmt.Errorf("ds (%s): %w", c.dsBackend(), k.dsErr)
			}
		}
	}
	return k.ds, k.dsErr
}

// pmStore is pm's process table, shared by its successive instances: in
// mkos's memory, or, in a pm process, that same table through its window.
func (k *kept) pmStore() pm.Store {
	if k.pmRemote != nil {
		return k.pmRemote
	}
	return k.pmMem()
}

// pmMem is the table in mkos's memory, created on first use.
func (k *kept) pmMem() *pm.MemStore {
	if k.pmTable == nil {
		k.pmTable = pm.NewMemStore()
	}
	return k.pmTable
}

// closeState closes what the kept state holds open (the bbolt file, the
// connection to Redis).
func (c *Config) closeState() error {
	if c.keep != nil && c.keep.net != nil {
		c.keep.net.Close()
		c.keep.net = nil
	}
	if c.keep == nil || c.keep.ds == nil {
		return nil
	}
	err := c.keep.ds.Close()
	c.keep.ds = nil
	return err
}

// clearSys deletes the servers' own keys (dsproto.SysPrefix) from a store
// a previous run of mkos left in data_dir or Redis: they describe that
// system, not this one, which starts with none. (Two systems sharing one
// Redis namespace therefore share these keys too: the later boot clears
// the earlier one's. See docs/cluster.md.)
func clearSys(st store.Store) error {
	var keys []string
	err := st.Scan(dsproto.SysPrefix, "", func(key string) bool {
		keys = append(keys, key)
		return true
	})
	for _, k := range keys {
		if err == nil {
			err = st.Delete(k)
		}
	}
	return err
}
