package dsproto

import (
	"strings"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/linux"
)

// Name is the service name the data store registers.
const Name = "ds"

// Request types. The comment of each gives its payload words (W0…W4) and
// windows; every reply also carries the instance's generation in W5
// (GenWord).
const (
	// Put: W0 key length, W1 value length; the key then the value in the
	// send window. Creates the key or replaces its value.
	Put ipc.Type = iota + 1
	// Get: W0 key length, W1 receive window length; the key in the send
	// window, the value into the receive window. Reply W0 = the value's
	// length (also with ERANGE, when the window is too short for it).
	Get
	// Delete: W0 key length; the key in the send window.
	Delete
	// List: W0 prefix length, W1 length of the key to continue after (0:
	// from the first), W2 receive window length; the prefix then that key
	// in the send window. Key records (see AppendKey) into the receive
	// window, in sorted order. Reply W0 = keys, W1 = bytes used, W2 = 1
	// when more keys follow (continue after the last one).
	List
	// Subscribe: W0 prefix length (0: every key), W1 the notification
	// bits; the prefix in the send window. Subscribing to a prefix again
	// is not an error; the bits are the subscriber's, for all its
	// prefixes.
	Subscribe
	// Unsubscribe: W0 prefix length; the prefix in the send window. The
	// subscriber and its queue go when its last prefix goes.
	Unsubscribe
	// Changes: W0 receive window length. Change records (see
	// AppendChange) into the receive window, oldest first; they leave the
	// queue. Reply W0 = records, W1 = bytes used, W2 = 1 when more are
	// queued, W3 = 1 when changes were dropped since the last Changes
	// because the queue was full.
	Changes
	// Crash makes the server panic: fault injection for tests and demos.
	Crash
)

// Names maps each request type to its name, for traces and tests.
var Names = map[ipc.Type]string{
	Put: "put", Get: "get", Delete: "delete", List: "list",
	Subscribe: "subscribe", Unsubscribe: "unsubscribe", Changes: "changes",
	Crash: "crash",
}

// GenWord is the payload word of every reply that holds the generation of
// the ds instance that answered.
const GenWord = 5

// Limits.
const (
	// MaxKey is the longest key or prefix, in bytes.
	MaxKey = 255
	// MaxValue is the largest value, in bytes: with the longest key it
	// fits one bulk window.
	MaxValue = 60 << 10
	// MinWindow is the shortest receive window List and Changes accept:
	// it holds one record with the longest key.
	MinWindow = ChangeHeader + MaxKey
)

// SysPrefix starts the keys reserved for servers' own state: anyone may
// read them, only root (uid 0: the servers, and programs running as root)
// may put or delete them; anyone else gets EPERM, so a user's program
// cannot forge what a restarted server will believe. They live as long as
// one booted system: boot deletes them from a data_dir a previous run
// left. No server keeps state there today: pm's process table stays in
// mkos's memory, so that a pm that dies while ds is down loses none of it.
const SysPrefix = "sys/"

// DefaultBits is the notification bit subscribers use unless they have a
// reason to pick another.
const DefaultBits uint64 = 1 << 40

// CheckKey returns nil when key is a valid key, EINVAL otherwise.
func CheckKey(key string) error {
	if key == "" {
		return linux.EINVAL
	}
	return CheckPrefix(key)
}

// CheckPrefix returns nil when p is a valid prefix (a key, or empty for
// all keys), EINVAL otherwise.
func CheckPrefix(p string) error {
	if len(p) > MaxKey || strings.IndexByte(p, 0) >= 0 {
		return linux.EINVAL
	}
	return nil
}

// CheckValue returns nil when v may be stored, E2BIG when it is too long.
func CheckValue(v []byte) error {
	if len(v) > MaxValue {
		return linux.E2BIG
	}
	return nil
}

// CheckBits returns nil when bits may be a subscriber's notification bits:
// not none, and not the kernel's death bit.
func CheckBits(bits uint64) error {
	if bits == 0 || bits&ipc.NotifyDeath != 0 {
		return linux.EINVAL
	}
	return nil
}
