//go:build !js

package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisStore reports whether the Redis store exists on this host.
const RedisStore = true

// redisTimeout bounds one round trip to the server: a Redis that went
// away is an error for the ds client, not a hang of mkos.
const redisTimeout = 5 * time.Second

// scanPage is how many keys one Scan asks Redis for at a time.
const scanPage = 256

// Redis is the store on a Redis server, by go-redis. The data are in two
// Redis keys under the namespace: a hash "<ns>:v" from each key to its
// value, and a sorted set "<ns>:k" of the keys, every one with score 0,
// which Redis keeps in byte order (ZRANGEBYLEX), so that Scan walks it as
// the other stores do. Every Put and Delete changes both in one
// MULTI/EXEC transaction, so another client of the same server never sees
// one without the other. The data outlive mkos; systems that name the
// same server, database and namespace share one store.
type Redis struct {
	c      *redis.Client
	vals   string // the hash of values
	keys   string // the sorted set of keys
	closed atomic.Bool
}

// RedisOptions says where a Redis store lives.
type RedisOptions struct {
	// Addr is the server's host:port.
	Addr string
	// DB is the server's database number (default 0).
	DB int
	// Namespace starts the two Redis keys the store uses (default
	// DefaultNamespace).
	Namespace string
}

// DefaultNamespace is the Redis namespace of a store whose options name
// none.
const DefaultNamespace = "mkos:ds"

// OpenRedis connects to the Redis server of o and checks that it answers.
func OpenRedis(o RedisOptions) (*Redis, error) {
	if o.Addr == "" {
		return nil, errors.New("store: redis needs an address (host:port)")
	}
	if o.Namespace == "" {
		o.Namespace = DefaultNamespace
	}
	c := redis.NewClient(&redis.Options{
		Addr:               o.Addr,
		DB:                 o.DB,
		Protocol:           2,
		DisableIdentity:    true,
		DialTimeout:        redisTimeout,
		ReadTimeout:        redisTimeout,
		WriteTimeout:       redisTimeout,
		MaxRetries:         1,
		DialerRetries:      2,
		DialerRetryTimeout: 50 * time.Millisecond,
	})
	if err := c.Ping(context.Background()).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("store: redis at %s: %w", o.Addr, err)
	}
	return &Redis{c: c, vals: o.Namespace + ":v", keys: o.Namespace + ":k"}, nil
}

// Get returns a copy of key's value.
func (r *Redis) Get(key string) ([]byte, error) {
	if r.closed.Load() {
		return nil, ErrClosed
	}
	v, err := r.c.HGet(context.Background(), r.vals, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, r.fail(err)
	}
	if v == nil {
		v = []byte{} // an empty value is a value
	}
	return v, nil
}

// Put stores value under key, in the hash and the index at once.
func (r *Redis) Put(key string, value []byte) error {
	if r.closed.Load() {
		return ErrClosed
	}
	_, err := r.c.TxPipelined(context.Background(), func(p redis.Pipeliner) error {
		p.HSet(context.Background(), r.vals, key, value)
		p.ZAdd(context.Background(), r.keys, redis.Z{Member: key})
		return nil
	})
	return r.fail(err)
}

// Delete removes key from the hash and the index at once.
func (r *Redis) Delete(key string) error {
	if r.closed.Load() {
		return ErrClosed
	}
	var del *redis.IntCmd
	_, err := r.c.TxPipelined(context.Background(), func(p redis.Pipeliner) error {
		del = p.HDel(context.Background(), r.vals, key)
		p.ZRem(context.Background(), r.keys, key)
		return nil
	})
	if err != nil {
		return r.fail(err)
	}
	if del.Val() == 0 {
		return ErrNotFound
	}
	return nil
}

// Scan walks the keys under prefix that sort after `after`, in order, a
// page of keys at a time from the sorted set.
func (r *Redis) Scan(prefix, after string, fn func(key string) bool) error {
	if r.closed.Load() {
		return ErrClosed
	}
	from := "[" + prefix
	if after >= prefix {
		from = "(" + after
	}
	for {
		page, err := r.c.ZRangeByLex(context.Background(), r.keys, &redis.ZRangeBy{
			Min: from, Max: "+", Count: scanPage,
		}).Result()
		if err != nil {
			return r.fail(err)
		}
		for _, k := range page {
			if len(k) < len(prefix) || k[:len(prefix)] != prefix || !fn(k) {
				return nil
			}
		}
		if len(page) < scanPage {
			return nil
		}
		from = "(" + page[len(page)-1]
	}
}

// Close closes the connection; the data stay in Redis.
func (r *Redis) Close() error {
	if r.closed.Swap(true) {
		return nil
	}
	return r.c.Close()
}

// fail turns go-redis's "client is closed" into ErrClosed and names the
// server in any other error.
func (r *Redis) fail(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, redis.ErrClosed):
		return ErrClosed
	}
	return fmt.Errorf("store: redis at %s: %w", r.c.Options().Addr, err)
}
