package tests

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The import rules: which of our packages each package may import
// (DESIGN.md §6, "arrows point down"). A rule names packages relative to
// the module root; "x" allows x and everything under it. Packages of other
// modules and of the standard library are not checked here.
//
//	sched                       nothing of ours
//	ipc, ipc/...                ipc and ipc/linux only (protocol packages
//	                            import ipc; ipc/linux, the Linux ABI,
//	                            imports nothing of ours)
//	kernel                      ipc, ipc/linux (not the protocol packages), sched
//	servers/X, drivers/X,       ipc, ipc/..., internal/..., and their own
//	user/X                      subtree X/... — never another server,
//	                            driver or program; programs may also
//	                            import user/ulib, the system-call library;
//	                            user/programs, the /bin table, may import
//	                            the user packages whose programs it lists
//	boot                        kernel, servers, drivers, user, ipc, sched, internal
//	bench                       boot, kernel, servers, ipc, sched, user, internal
//	lab/...                     boot, kernel, servers, ipc, sched, user, internal
//	faults                      boot, kernel, servers, drivers, user, ipc, sched, internal
//	faults/shard                faults and boot only (a campaign over NATS
//	                            workers; never the kernel or the servers)
//	live                        kernel, ipc, internal
//	internal/...                internal only
//	cmd/..., tests, docs/...    anything
//
// A package under no rule fails the test: a new top-level directory needs
// its line here.

// importRule returns what package pkg may import of ours, as prefixes, or
// any=true when it may import anything; ok is false when no rule covers it.
// Subpackages of kernel, boot, bench and internal follow their top's rule
// and may import within it.
func importRule(pkg string) (allowed []string, any, ok bool) {
	top, rest, _ := strings.Cut(pkg, "/")
	switch top {
	case "cmd", "tests", "docs":
		return nil, true, true
	case "sched":
		return nil, false, true
	case "ipc":
		return []string{"=ipc", "ipc/linux"}, false, true
	case "kernel":
		return []string{"=ipc", "ipc/linux", "sched", "kernel"}, false, true
	case "servers", "drivers", "user":
		allowed = []string{"ipc", "internal"}
		if rest != "" {
			own, _, _ := strings.Cut(rest, "/")
			allowed = append(allowed, top+"/"+own)
		}
		if top == "user" {
			allowed = append(allowed, "user/ulib") // programs link the system-call library, as with libc
		}
		if top == "user" && rest == "sh" {
			allowed = append(allowed, "user/svcutil") // the svc builtin runs when pm is stopped
		}
		if top == "user" && rest == "programs" {
			allowed = append(allowed, "user") // the /bin table links every program
		}
		return allowed, false, true
	case "boot":
		return []string{"kernel", "servers", "drivers", "user", "ipc", "sched", "internal", "boot"}, false, true
	case "bench":
		return []string{"boot", "kernel", "servers", "ipc", "sched", "user", "internal", "bench"}, false, true
	case "faults":
		if rest == "shard" {
			return []string{"=faults", "=boot"}, false, true
		}
		return []string{"boot", "kernel", "servers", "drivers", "user", "ipc", "sched", "internal", "faults"}, false, true
	case "lab":
		return []string{"boot", "kernel", "servers", "ipc", "sched", "user", "internal", "lab"}, false, true
	case "live":
		return []string{"kernel", "ipc", "internal", "live"}, false, true
	case "internal":
		return []string{"internal"}, false, true
	}
	return nil, false, false
}

// allows reports whether a rule's prefixes admit imp. "=p" admits p alone;
// "p" admits p and everything under it.
func allows(allowed []string, imp string) bool {
	for _, a := range allowed {
		if exact, ok := strings.CutPrefix(a, "="); ok {
			if imp == exact {
				return true
			}
			continue
		}
		if imp == a || strings.HasPrefix(imp, a+"/") {
			return true
		}
	}
	return false
}

func TestImportRules(t *testing.T) {
	root, module := moduleRoot(t)
	files := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		files++
		checkImports(t, root, module, p)
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 10, "walked %s and found only %d Go files", root, files)
}

// checkImports checks one file's imports against its package's rule.
func checkImports(t *testing.T, root, module, file string) {
	t.Helper()
	rel, err := filepath.Rel(root, file)
	require.NoError(t, err)
	pkg := path.Dir(filepath.ToSlash(rel))
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ImportsOnly)
	require.NoError(t, err, "parse %s", rel)
	allowed, any, ok := importRule(pkg)
	if !assert.True(t, ok, "%s: package %s is under no import rule; add one to imports_test.go", rel, pkg) || any {
		return
	}
	for _, spec := range f.Imports {
		imp, err := strconv.Unquote(spec.Path.Value)
		require.NoError(t, err)
		ours, isOurs := strings.CutPrefix(imp, module+"/")
		if imp == module {
			ours, isOurs = ".", true
		}
		if !isOurs {
			continue
		}
		if !allows(allowed, ours) {
			assert.Failf(t, "forbidden import", "%s: package %s must not import %s (%s)", rel, pkg, imp, describe(allowed))
		}
	}
}

// describe renders a rule for a failure message.
func describe(allowed []string) string {
	if len(allowed) == 0 {
		return "it imports nothing of ours"
	}
	var parts []string
	for _, a := range allowed {
		if exact, ok := strings.CutPrefix(a, "="); ok {
			parts = append(parts, exact)
		} else {
			parts = append(parts, a+", "+a+"/...")
		}
	}
	return "it may import only " + strings.Join(parts, ", ")
}

// moduleRoot finds go.mod above the working directory and returns its
// directory and module path.
func moduleRoot(t *testing.T) (string, string) {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			for _, l := range strings.Split(string(data), "\n") {
				if mod, ok := strings.CutPrefix(strings.TrimSpace(l), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(mod), `"`)
				}
			}
			require.FailNow(t, "no module line", "%s/go.mod", dir)
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the working directory")
		dir = parent
	}
}

// TestImportRuleTable pins the rule table on cases that matter.
func TestImportRuleTable(t *testing.T) {
	for _, c := range []struct {
		pkg, imp string
		want     bool
	}{
		{"sched", "ipc", false},
		{"ipc", "ipc", true},
		{"ipc/echoproto", "ipc", true},
		{"ipc/echoproto", "ipc/nullproto", false},
		{"ipc", "kernel", false},
		{"kernel", "ipc", true},
		{"kernel", "sched", true},
		{"kernel", "ipc/echoproto", false},
		{"sched/sub", "sched", false},
		{"kernel", "boot", false},
		{"kernel", "servers/echo", false},
		{"servers/echo", "ipc/echoproto", true},
		{"servers/fs", "servers/fs/journal", true},
		{"servers/fs", "servers/mm", false},
		{"servers/fs", "servers/fsx", false},
		{"servers/fs", "drivers/disk", false},
		{"servers/fs", "kernel", false},
		{"servers/fs", "sched", false},
		{"drivers/disk", "internal/pyrand", true},
		{"drivers/disk", "drivers/disk/hw", true},
		{"drivers/disk/hw", "ipc", true},
		{"drivers/disk/hw", "kernel", false},
		{"drivers/disk", "servers/fs", false},
		{"user/workload", "ipc/nullproto", true},
		{"user/workload", "kernel", false},
		{"boot", "servers/echo", true},
		{"boot", "bench", false},
		{"bench", "boot", true},
		{"bench", "drivers/disk", false},
		{"faults/shard", "faults", true},
		{"faults/shard", "kernel", false},
		{"faults/shard", "boot/procplace", false},
		{"internal/pyrand", "ipc", false},
		{"internal/pyrand", "internal/other", true},
	} {
		allowed, any, ok := importRule(c.pkg)
		require.True(t, ok, c.pkg)
		assert.Equal(t, c.want, any || allows(allowed, c.imp), "%s may import %s", c.pkg, c.imp)
	}
	for _, pkg := range []string{"cmd/mkos", "tests"} {
		_, any, ok := importRule(pkg)
		assert.True(t, ok && any, "%s may import anything", pkg)
	}
	for _, pkg := range []string{".", "misc", "examples/x"} {
		_, _, ok := importRule(pkg)
		assert.False(t, ok, "%s has no rule", pkg)
	}
}
