package course

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// skipDirs are not copied into a handout.
var skipDirs = map[string]bool{".git": true, "bin": true, "node_modules": true}

// Handout writes into dst, which must not exist or be empty, a copy of the
// repository at src in which lab's reference code is stubbed out, and its
// statement as LAB.md.
func Handout(src, dst string, lab *Lab) error {
	if entries, err := os.ReadDir(dst); err == nil && len(entries) > 0 {
		return fmt.Errorf("handout: %s is not empty", dst)
	}
	stubs := map[string][]string{}
	for _, s := range lab.Stubs {
		stubs[filepath.FromSlash(s.File)] = s.Funcs
	}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if skipDirs[d.Name()] && rel != "." {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if funcs, ok := stubs[rel]; ok {
			if data, err = StubFile(rel, data, lab.Name, funcs); err != nil {
				return err
			}
			delete(stubs, rel)
		}
		info, _ := d.Info()
		return os.WriteFile(filepath.Join(dst, rel), data, info.Mode().Perm())
	})
	if err != nil {
		return fmt.Errorf("handout: %w", err)
	}
	for f := range stubs {
		return fmt.Errorf("handout: %s is not in %s", f, src)
	}
	statement, err := Statement(lab.Name)
	if err != nil {
		return errors.New("handout: no statement for " + lab.Name)
	}
	return os.WriteFile(filepath.Join(dst, "LAB.md"), []byte(statement), 0o644)
}

// Root finds the repository that holds dir: the nearest directory up from
// dir with mkos's go.mod.
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if b, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil && isMkos(b) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%s is not inside an mkos tree (no go.mod of github.com/mkos/mkos above it)", dir)
		}
	}
}

func isMkos(gomod []byte) bool {
	for _, line := range strings.Split(string(gomod), "\n") {
		if strings.TrimSpace(line) == "module github.com/mkos/mkos" {
			return true
		}
	}
	return false
}
