package boot

import (
	"encoding/binary"
	"errors"

	"github.com/mkos/mkos/boot/procplace"
	"github.com/mkos/mkos/servers/ds/store"
)

// ds in a process: the data store's backend stays with mkos, the parent,
// which opened it (the memory store, the bbolt file in data_dir, or the
// connection to Redis), and
// outlives each ds process. The process reaches it only through its
// window, with procplace's host requests: remoteStore, in the process,
// is a store.Store whose every method is one host request, and
// serveStore, in the proxy, answers it from the kept store. The process
// itself opens no file (its sandbox would refuse) and holds no
// descriptor of the store.

// Store requests: the first byte of a host request.
const (
	storeGet byte = iota + 1
	storePut
	storeDelete
	storeScan
)

// Store answers: the first byte of a host answer.
const (
	storeOK byte = iota
	storeNotFound
	storeClosed
	storeFailed // the message follows
)

// errBadStoreRequest answers a host request that does not decode.
var errBadStoreRequest = errors.New("store: bad request")

// scanBytes bounds the keys one scan answer carries; the process asks
// again after the last one for more. It leaves room in the window.
const scanBytes = 64 << 10

// serveStore returns the host side of a ds process over st.
func serveStore(st store.Store) func(req []byte) []byte {
	return func(req []byte) []byte {
		r := wire{b: req}
		op := r.byte()
		a, b := r.str(), r.bytes()
		if r.short && op != storeGet && op != storeDelete || a == "" && op != storeScan {
			return answer(errBadStoreRequest, nil)
		}
		switch op {
		case storeGet:
			v, err := st.Get(a)
			return answer(err, v)
		case storePut:
			return answer(st.Put(a, b), nil)
		case storeDelete:
			return answer(st.Delete(a), nil)
		case storeScan:
			return scanAnswer(st, a, string(b))
		}
		return answer(errBadStoreRequest, nil)
	}
}

// scanAnswer lists the keys under prefix after `after`, as many as fit
// scanBytes, and says whether more follow.
func scanAnswer(st store.Store, prefix, after string) []byte {
	var w wire
	more, size := false, 0
	err := st.Scan(prefix, after, func(key string) bool {
		if size += 8 + len(key); size > scanBytes {
			more = true
			return false
		}
		w.putStr(key)
		return true
	})
	if err != nil {
		return answer(err, nil)
	}
	var out wire
	out.b = append(out.b, storeOK, b2byte(more))
	return append(out.b, w.b...)
}

// answer encodes a result.
func answer(err error, v []byte) []byte {
	switch {
	case err == nil:
		return append([]byte{storeOK}, v...)
	case errors.Is(err, store.ErrNotFound):
		return []byte{storeNotFound}
	case errors.Is(err, store.ErrClosed):
		return []byte{storeClosed}
	}
	return append([]byte{storeFailed}, err.Error()...)
}

// remoteStore is the store.Store of a ds process: the parent's store,
// through host requests.
type remoteStore struct{ host procplace.HostCall }

// ask makes one host request and returns the answer's payload.
func (s remoteStore) ask(req []byte) ([]byte, error) {
	a, err := s.host(req)
	if err != nil {
		return nil, err
	}
	if len(a) == 0 {
		return nil, errors.New("store: empty answer")
	}
	switch a[0] {
	case storeOK:
		return a[1:], nil
	case storeNotFound:
		return nil, store.ErrNotFound
	case storeClosed:
		return nil, store.ErrClosed
	}
	return nil, errors.New(string(a[1:]))
}

func (s remoteStore) Get(key string) ([]byte, error) {
	var w wire
	w.b = append(w.b, storeGet)
	w.putStr(key)
	v, err := s.ask(w.b)
	return append([]byte(nil), v...), err // the answer is the window's
}

func (s remoteStore) Put(key string, value []byte) error {
	var w wire
	w.b = append(w.b, storePut)
	w.putStr(key)
	w.putBytes(value)
	_, err := s.ask(w.b)
	return err
}

func (s remoteStore) Delete(key string) error {
	var w wire
	w.b = append(w.b, storeDelete)
	w.putStr(key)
	_, err := s.ask(w.b)
	return err
}

// Scan asks for the keys a page at a time; fn runs between requests, never
// inside one.
func (s remoteStore) Scan(prefix, after string, fn func(key string) bool) error {
	for {
		var w wire
		w.b = append(w.b, storeScan)
		w.putStr(prefix)
		w.putStr(after)
		a, err := s.ask(w.b)
		if err != nil {
			return err
		}
		r := wire{b: a}
		more := r.byte() != 0
		var keys []string
		for len(r.b) > 0 && !r.short {
			keys = append(keys, r.str())
		}
		if r.short {
			return errors.New("store: bad scan answer")
		}
		for _, k := range keys {
			if !fn(k) {
				return nil
			}
		}
		if !more || len(keys) == 0 {
			return nil
		}
		after = keys[len(keys)-1]
	}
}

// Close does nothing: the parent owns the store and closes it.
func (s remoteStore) Close() error { return nil }

// wire is the little encoding of store requests: a length-prefixed
// field after another.
type wire struct {
	b     []byte
	short bool
}

func (w *wire) putStr(s string) { w.putBytes([]byte(s)) }
func (w *wire) putBytes(v []byte) {
	w.b = binary.AppendUvarint(w.b, uint64(len(v)))
	w.b = append(w.b, v...)
}
func (w *wire) byte() byte {
	if len(w.b) == 0 {
		w.short = true
		return 0
	}
	c := w.b[0]
	w.b = w.b[1:]
	return c
}

// bytes reads a field; it aliases the request.
func (w *wire) bytes() []byte {
	n, k := binary.Uvarint(w.b)
	if k <= 0 || n > uint64(len(w.b)-k) {
		w.short = true
		w.b = nil
		return nil
	}
	v := w.b[k : k+int(n)]
	w.b = w.b[k+int(n):]
	return v
}

func (w *wire) str() string { return string(w.bytes()) }

func b2byte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

var _ store.Store = remoteStore{}
