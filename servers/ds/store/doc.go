// Package store holds the data store's backends behind one interface,
// Store: an ordered map from keys to values that the ds server reads and
// writes and never looks inside.
//
//	memory  an in-memory sorted table (Memory): the default, and what the
//	        tests use. It survives a restart of the ds server only when
//	        whoever constructs the server keeps the Memory and hands the
//	        same one to the next instance.
//	bolt    an embedded file store on go.etcd.io/bbolt (Bolt): one file
//	        in a data directory, synced on every write. It survives a
//	        restart of the ds and of mkos itself.
//
// Both are deterministic in what they return: keys come back in byte
// order, never in map order, and values are copies that the caller owns.
// The file store does host I/O: it takes host time, which the simulation
// does not see (the server charges no virtual time for it), and it is
// outside the simulated machine — it is the store's medium, not a
// simulated disk.
//
// Adding a backend is a type with the five methods of Store, a line in
// Backends, and a row in the conformance test.
//
// The file store is absent in the browser (js/wasm), where bbolt does not
// build: OpenBolt there fails with ErrNoFileStore (bolt_js.go), and the
// memory store is the data store.
//
// Imports: the standard library and go.etcd.io/bbolt; nothing of ours.
package store
