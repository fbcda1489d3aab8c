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
//	redis   a Redis server, by github.com/redis/go-redis/v9 (Redis): a
//	        hash of values and a sorted set of keys under a namespace,
//	        both changed in one MULTI/EXEC per write. It outlives mkos,
//	        and systems that name the same server, database and
//	        namespace share one store.
//
// All three are deterministic in what they return: keys come back in byte
// order, never in map order, and values are copies that the caller owns.
// The file and Redis stores do host I/O: it takes host time, which the
// simulation does not see (the server charges no virtual time for it),
// and it is outside the simulated machine — it is the store's medium, not
// a simulated disk. BenchmarkBackends measures it.
//
// Adding a backend is a type with the five methods of Store, a line in
// Backends (or an Open function of its own, as OpenRedis, when it takes
// more than a directory), and a row in the conformance test. The
// conformance test runs the Redis store on miniredis (in-process); a
// test behind the redisserver build tag runs it on a real redis-server
// (make redistest).
//
// The file store is absent in the browser (js/wasm), where bbolt does not
// build: OpenBolt there fails with ErrNoFileStore (bolt_js.go), and the
// memory store is the data store. So is the Redis store, which needs
// sockets: OpenRedis there fails with ErrNoRedis (redis_js.go).
//
// Imports: the standard library, go.etcd.io/bbolt and
// github.com/redis/go-redis/v9; nothing of ours.
package store
