package boot

import (
	"fmt"

	"github.com/mkos/mkos/kernel"
	"github.com/mkos/mkos/servers/ds/store"
	"github.com/mkos/mkos/servers/pm"
)

// kept is the state that outlives one instance of a server within a
// booted system: what a restarted server finds again. ds keeps its store
// (memory, or bbolt under data_dir, which also outlives mkos), pm its
// process table. This is how a restart becomes invisible to clients.
type kept struct {
	ds      store.Store
	dsErr   error
	pmTable *pm.MemStore
	pulse   *kernel.Pulse // the kernel's, for pm's Loader; nil without a watchdog
}

// state returns the system's kept state, creating it.
func (c *Config) state() *kept {
	if c.keep == nil {
		c.keep = &kept{}
	}
	return c.keep
}

// dsStore opens the data store's backend once per system: bbolt in
// data_dir when one is configured, memory otherwise.
func (k *kept) dsStore(c *Config) (store.Store, error) {
	if k.ds == nil && k.dsErr == nil {
		k.ds, k.dsErr = store.Open(c.DataDir)
		if k.dsErr != nil {
			k.dsErr = fmt.Errorf("data_dir %s: %w", c.DataDir, k.dsErr)
		}
	}
	return k.ds, k.dsErr
}

// pmStore is pm's process table, shared by its successive instances.
func (k *kept) pmStore() *pm.MemStore {
	if k.pmTable == nil {
		k.pmTable = pm.NewMemStore()
	}
	return k.pmTable
}

// closeState closes what the kept state holds open (the bbolt file).
func (c *Config) closeState() error {
	if c.keep == nil || c.keep.ds == nil {
		return nil
	}
	err := c.keep.ds.Close()
	c.keep.ds = nil
	return err
}
