// Package ds is the data store server: a key-value service (put, get,
// delete, list by prefix, subscribe to a prefix with notifications) that
// servers and programs use to keep the state they need after a restart.
// Its protocol and client are ipc/dsproto; its backends are
// servers/ds/store (in memory, an embedded bbolt file store, or a Redis
// server; docs/cluster.md).
//
// # What survives what
//
// The data live in the store.Store that New is given, not in the server:
//
//   - A restart of the ds server keeps the data when the next instance
//     gets the same Store. The file store (store.Bolt) keeps them on the
//     host's disk anyway; a store.Memory keeps them only if whoever
//     constructs the server (boot, a supervisor, a test) holds on to it
//     and hands it to the new instance. NewMemory, the constructor for
//     server tables, makes a new Memory each time: its data die with the
//     instance.
//   - A restart of mkos keeps the data of the file store only.
//   - Subscriptions (and their queues of changes) live in the server
//     instance and are lost when it restarts. Every reply carries the
//     instance's generation (a counter kept in the store and bumped by
//     New), so a subscriber notices a restart when the generation changes
//     (dsproto.Client.Gen) or when Changes fails with ESTALE, and then
//     subscribes again and re-reads with List and Get.
//   - A subscriber's death drops its subscription at once: ds in user
//     space hears of it on the kernel's exit topic (ipc.TopicExit,
//     exits.go); placed in the kernel, which may not subscribe, it watches
//     exits (ipc.ExitWatcher, server_sub.go).
//   - A change announces itself on the bus: ds publishes on the
//     subscriber's notice topic (dsproto.NoticeTopic, "ds/n/<ep>"), which
//     the client stub subscribed the task to with its bits; in every
//     placement, as a server placed in the kernel may publish on its
//     service's topics. The keys stay in ds's queue (server_sub.go).
//
// Keys under dsproto.SysPrefix ("sys/") are reserved for servers' own
// state: anyone reads them, only root puts or deletes them
// (EPERM otherwise; ds asks the kernel for the caller's credentials).
//
// Run one instance of ds: a second instance would have subscriptions of
// its own that the first does not see.
//
// # Restarts, faults and time
//
// The server changes the store before it replies, and only the Put and
// Delete that the store has taken produce change notices; a killed
// instance can lose a reply (the client's stub retries Put, Get, Delete
// and List, which are idempotent) but never half a write. A user-space
// instance can be killed only at a system call (a bulk copy, a
// publication or a notification), never inside a store operation, and the server keeps no
// request state across those calls that a new instance would need. A
// Crash request panics on purpose, for fault injection.
//
// Store operations charge no virtual time: the file store's host I/O is
// outside the simulation, and what it returns depends only on what was
// stored, so runs stay deterministic.
//
// A live update (`svc update ds`, state.go) moves the subscriptions and
// keeps the generation: subscribers go on without noticing.
//
// Imports: ipc, ipc/dsproto, servers/ds/store (and, through it,
// go.etcd.io/bbolt and github.com/redis/go-redis/v9); encoding/json for
// the state.
package ds
