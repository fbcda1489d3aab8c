package dsproto

import "github.com/mkos/mkos/ipc/linux"

// Op is what happened to a key, in a Change.
type Op uint8

// The changes a subscriber sees.
const (
	// OpPut: the key was created or its value replaced.
	OpPut Op = iota + 1
	// OpDelete: the key was deleted.
	OpDelete
)

// String names the op.
func (o Op) String() string {
	switch o {
	case OpPut:
		return "put"
	case OpDelete:
		return "delete"
	}
	return "op?"
}

// Change is one entry of a subscriber's queue: a key and what happened to
// it. The value is not included; Get it.
type Change struct {
	Op  Op
	Key string
}

// Record sizes: a key record is a length byte then the key; a change
// record is the op byte, a length byte, then the key.
const (
	KeyHeader    = 1
	ChangeHeader = 2
)

// AppendKey appends key's record to b.
func AppendKey(b []byte, key string) []byte {
	b = append(b, byte(len(key)))
	return append(b, key...)
}

// AppendChange appends c's record to b.
func AppendChange(b []byte, c Change) []byte {
	b = append(b, byte(c.Op), byte(len(c.Key)))
	return append(b, c.Key...)
}

// DecodeKeys reads n key records from b. EIO when b does not hold them.
func DecodeKeys(b []byte, n int) ([]string, error) {
	if n < 0 || n > len(b)/KeyHeader {
		return nil, linux.EIO // more records than the bytes could hold
	}
	keys := make([]string, 0, n)
	for range n {
		if len(b) < KeyHeader || len(b) < KeyHeader+int(b[0]) {
			return keys, linux.EIO
		}
		l := int(b[0])
		keys = append(keys, string(b[KeyHeader:KeyHeader+l]))
		b = b[KeyHeader+l:]
	}
	return keys, nil
}

// DecodeChanges reads n change records from b. EIO when b does not hold
// them.
func DecodeChanges(b []byte, n int) ([]Change, error) {
	if n < 0 || n > len(b)/ChangeHeader {
		return nil, linux.EIO // more records than the bytes could hold
	}
	cs := make([]Change, 0, n)
	for range n {
		if len(b) < ChangeHeader || len(b) < ChangeHeader+int(b[1]) {
			return cs, linux.EIO
		}
		l := int(b[1])
		cs = append(cs, Change{Op: Op(b[0]), Key: string(b[ChangeHeader : ChangeHeader+l])})
		b = b[ChangeHeader+l:]
	}
	return cs, nil
}
