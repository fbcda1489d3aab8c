//go:build !js

package store

import (
	"bytes"
	"errors"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// FileStore reports whether the file store (bbolt) exists on this host.
const FileStore = true

// bucket holds every key; the file has no other.
var bucket = []byte("ds")

// lockWait bounds the wait for the file's lock: another process (or an
// instance that was never closed) holding it is an error, not a hang.
const lockWait = time.Second

// Bolt is the embedded file store: a B+tree in one file, by bbolt. Every
// Put and Delete is a transaction that is synced to the host's disk before
// it returns, so an acknowledged write survives a crash of mkos. Keys come
// back in byte order, as bbolt keeps them.
type Bolt struct {
	db *bolt.DB
}

// OpenBolt opens (creating if needed) the file store at path.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockWait})
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucket)
		return err
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Bolt{db: db}, nil
}

// Path returns the store's file.
func (b *Bolt) Path() string { return b.db.Path() }

// Get returns a copy of key's value.
func (b *Bolt) Get(key string) ([]byte, error) {
	var v []byte
	err := b.view(func(bk *bolt.Bucket) error {
		k, val := bk.Cursor().Seek([]byte(key))
		if k == nil || string(k) != key {
			return ErrNotFound
		}
		v = append([]byte{}, val...) // bbolt's bytes live only as long as the transaction
		return nil
	})
	return v, err
}

// Put stores value under key and syncs.
func (b *Bolt) Put(key string, value []byte) error {
	return b.update(func(bk *bolt.Bucket) error {
		return bk.Put([]byte(key), value)
	})
}

// Delete removes key and syncs.
func (b *Bolt) Delete(key string) error {
	return b.update(func(bk *bolt.Bucket) error {
		c := bk.Cursor()
		if k, _ := c.Seek([]byte(key)); k == nil || string(k) != key {
			return ErrNotFound
		}
		return c.Delete()
	})
}

// Scan walks the keys under prefix that sort after `after`, in order.
func (b *Bolt) Scan(prefix, after string, fn func(key string) bool) error {
	return b.view(func(bk *bolt.Bucket) error {
		c := bk.Cursor()
		p := []byte(prefix)
		k, _ := c.Seek(p)
		if after >= prefix {
			k, _ = c.Seek([]byte(after))
			if k != nil && string(k) == after {
				k, _ = c.Next()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			if !fn(string(k)) {
				break
			}
		}
		return nil
	})
}

// Close closes the file; the data stay in it.
func (b *Bolt) Close() error { return b.db.Close() }

func (b *Bolt) view(fn func(*bolt.Bucket) error) error {
	return closedErr(b.db.View(func(tx *bolt.Tx) error { return fn(tx.Bucket(bucket)) }))
}

func (b *Bolt) update(fn func(*bolt.Bucket) error) error {
	return closedErr(b.db.Update(func(tx *bolt.Tx) error { return fn(tx.Bucket(bucket)) }))
}

// closedErr turns bbolt's "not open" into ErrClosed.
func closedErr(err error) error {
	if errors.Is(err, berrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return err
}
