package rs_test

import (
	"testing"

	"github.com/mkos/mkos/boot/boottest"
	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/kernel/kerneltest"
)

// FuzzHandler sends the reincarnation server (a task in every mode) the
// requests a hostile program of an ordinary user (uid 1000) makes of the
// fuzzer's bytes (kerneltest.Requests), in a booted mono system: whatever
// they are, the server must answer without a panic. Root may crash a
// server placed in the kernel through rs (Inject), which halts a mono
// system by design; an ordinary user's Inject, Restart and Stop are
// decoded, then refused.
//
//	go test ./servers/rs -run '^$' -fuzz FuzzHandler -fuzztime 20s
func FuzzHandler(f *testing.F) {
	for _, s := range kerneltest.Seeds(int(rsproto.LastRequest)) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prog []byte) {
		err := boottest.Mono(func(sys ipc.Sys) {
			user, done := ipc.Cred{UID: 1000, GID: 1000}, false
			_, _ = sys.Spawn(ipc.TaskSpec{Name: "user", Cred: &user, Body: func(sys ipc.Sys) {
				kerneltest.Requests(sys, rsproto.Name, int(rsproto.LastRequest), prog)
				done = true
			}})
			for !done && sys.Sleep(1_000_000) == nil {
			}
		})
		if err != nil {
			t.Fatalf("a hostile program's requests: %v", err)
		}
	})
}
