//go:build js

package store

// RedisStore reports whether the Redis store exists on this host.
const RedisStore = false

// DefaultNamespace is the Redis namespace of a store whose options name
// none.
const DefaultNamespace = "mkos:ds"

// RedisOptions says where a Redis store would live.
type RedisOptions struct {
	Addr      string
	DB        int
	Namespace string
}

// Redis stands for the Redis store where mkos has no sockets to reach
// one; none is ever opened.
type Redis struct{ Store }

// OpenRedis fails with ErrNoRedis.
func OpenRedis(RedisOptions) (*Redis, error) { return nil, ErrNoRedis }
