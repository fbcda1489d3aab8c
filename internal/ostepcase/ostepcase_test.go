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
	os.WriteFile(filepath.Join(dir, "s.txt"), []byte("# command: python3 tool.py -x\n# status: 2\nout\n"), 0o644)
	cases, err = Load(filepath.Join(dir, "s.txt"))
	if err != nil || cases[0].Status != 2 || cases[0].Out != "out\n" {
		t.Errorf("Load() of a case with a status = %+v, %v; want status 2, out \"out\\n\"", cases, err)
	}
	os.WriteFile(filepath.Join(dir, "z.txt"), []byte("# command: python3 tool.py\n# status: 0\n"), 0o644)
	if _, err := Load(filepath.Join(dir, "z.txt")); err == nil {
		t.Error("Load() of a case with status 0 spelled out: no error")
	}
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("no header\n"), 0o644)
	if _, err := Load(filepath.Join(dir, "*.txt")); err == nil {
		t.Error("Load() of a file without a command line: no error")
	}
	if _, err := Load(filepath.Join(dir, "*.none")); err == nil {
		t.Error("Load() of a glob matching nothing: no error")
	}
}
