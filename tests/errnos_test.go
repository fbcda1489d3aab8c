package tests

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mkos/mkos/ipc"
	"github.com/mkos/mkos/ipc/diskproto"
	"github.com/mkos/mkos/ipc/dsproto"
	"github.com/mkos/mkos/ipc/echoproto"
	"github.com/mkos/mkos/ipc/fsproto"
	"github.com/mkos/mkos/ipc/linux"
	"github.com/mkos/mkos/ipc/mmproto"
	"github.com/mkos/mkos/ipc/netproto"
	"github.com/mkos/mkos/ipc/nicproto"
	"github.com/mkos/mkos/ipc/nullproto"
	"github.com/mkos/mkos/ipc/pmproto"
	"github.com/mkos/mkos/ipc/rsproto"
	"github.com/mkos/mkos/ipc/streamproto"
)

// protocols are the documented errno sets, with the sources of the servers
// that answer each protocol (directories, or single files).
var protocols = []struct {
	name    string
	errnos  ipc.Errnos
	servers []string
}{
	{"fsproto", fsproto.Errnos, []string{"servers/fs"}},
	{"pmproto", pmproto.Errnos, []string{"servers/pm"}},
	{"mmproto", mmproto.Errnos, []string{"servers/mm"}},
	{"dsproto", dsproto.Errnos, []string{"servers/ds", "servers/ds/store"}},
	{"rsproto", rsproto.Errnos, []string{"servers/rs"}},
	{"diskproto", diskproto.Errnos, []string{"drivers/disk"}},
	{"nicproto", nicproto.Errnos, []string{"drivers/nic"}},
	{"streamproto", streamproto.Errnos, []string{"servers/pipe", "drivers/tty", "drivers/memdev", "boot/console.go"}},
	{"echoproto", echoproto.Errnos, []string{"servers/echo"}},
	{"nullproto", nullproto.Errnos, []string{"servers/null"}},
	{"netproto", netproto.Errnos, []string{"servers/net"}},
}

var errnoName = regexp.MustCompile(`linux\.(E[A-Z0-9]+)\b`)

// TestErrnoSets checks each protocol's documented errno set: no 0, no
// duplicate, EIO (what a stub makes of a reply it cannot believe) and
// ENOSYS (an unknown request) in each; and every errno a server of the
// protocol names in its code is in the set, so that a stub never turns a
// correct server's answer into EIO.
func TestErrnoSets(t *testing.T) {
	root, _ := moduleRoot(t)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			seen := map[ipc.Errno]bool{}
			for _, e := range p.errnos {
				if e == 0 || seen[e] {
					t.Errorf("Errnos has %v (0 or twice)", e)
				}
				seen[e] = true
			}
			for _, e := range []ipc.Errno{ipc.ErrBadReply, linux.ENOSYS} {
				if !p.errnos.Has(e) {
					t.Errorf("Errnos.Has(%s) = false, want true", linux.ErrnoName(e))
				}
			}
			for _, name := range namedErrnos(t, root, p.servers) {
				e := errnoValue(name)
				if e == 0 {
					t.Errorf("linux.%s is not an errno", name)
					continue
				}
				if !p.errnos.Has(e) && !ipc.CallErrnos.Has(e) {
					t.Errorf("a server names linux.%s, which %s.Errnos does not document", name, p.name)
				}
			}
		})
	}
}

// namedErrnos returns the linux.E* names in the non-test Go files of srcs.
func namedErrnos(t *testing.T, root string, srcs []string) []string {
	var files []string
	for _, s := range srcs {
		p := filepath.Join(root, s)
		if strings.HasSuffix(p, ".go") {
			files = append(files, p)
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.go"))
		if err != nil || len(m) == 0 {
			t.Fatalf("no Go files in %s", s)
		}
		files = append(files, m...)
	}
	var names []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range errnoName.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	return names
}

// errnoValue returns the errno linux names name, 0 for none.
func errnoValue(name string) ipc.Errno { return linux.ErrnoNum(name) }
