package ostepcase

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("# command: python3 tool.py -s 1 -c\nline one\nline two\n"), 0o644)
	cases, err := Load(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	c := cases[0]
	if len(cases) != 1 || c.Name != "a" || c.Tool != "tool.py" || len(c.Args) != 3 || c.Out != "line one\nline two\n" {
		t.Errorf("Load() = %+v", cases)
	}
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("no header\n"), 0o644)
	if _, err := Load(filepath.Join(dir, "*.txt")); err == nil {
		t.Error("Load() of a file without a command line: no error")
	}
	if _, err := Load(filepath.Join(dir, "*.none")); err == nil {
		t.Error("Load() of a glob matching nothing: no error")
	}
}
