//go:build !js

package shard

import (
	"bytes"
	"compress/flate"
	"encoding/gob"
	"testing"
)

// FuzzDecode feeds decode what a hostile NATS client could put in the
// work queue or the result stream: it must return an error or a value,
// never panic, and never inflate past maxDecoded.
//
//	go test ./faults/shard -run '^$' -fuzz FuzzDecode -fuzztime 20s
func FuzzDecode(f *testing.F) {
	wk, _ := encode(work{Range: Range{ID: 1, Lo: 2, Hi: 4}})
	res, _ := encode(result{Campaign: "c", Range: Range{ID: 1, Lo: 2, Hi: 4}, Err: "e"})
	f.Add(wk)
	f.Add(res)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var w work
		_ = decode(data, &w)
		var r result
		_ = decode(data, &r)
	})
}

// A deflate bomb — a valid message followed by zeros, a few KiB that
// unpack past the limit — is refused.
func TestDecodeRefusesABomb(t *testing.T) {
	var b bytes.Buffer
	zw, _ := flate.NewWriter(&b, flate.BestCompression)
	if err := gob.NewEncoder(zw).Encode(work{Range: Range{ID: 1, Lo: 2, Hi: 4}}); err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for range maxDecoded/len(zeros) + 1 {
		zw.Write(zeros)
	}
	zw.Close()
	var w work
	if err := decode(b.Bytes(), &w); err == nil {
		t.Fatalf("decode of %d bytes inflating past %d = nil, want an error", b.Len(), maxDecoded)
	}
}
