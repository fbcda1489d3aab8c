package course

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Marker is one `LECTURE: name` label in the code: a stable name course
// notes can point at, and the code it labels.
type Marker struct {
	Name string
	File string // relative to the tree
	Line int
	Code string // the comment and the declaration it labels
}

var lectureRe = regexp.MustCompile(`LECTURE: ([A-Za-z0-9_-]+)`)

// Lectures finds every LECTURE marker in the Go files of the tree at root,
// sorted by name, then file and line.
func Lectures(root string) ([]Marker, error) {
	var out []Marker
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (skipDirs[d.Name()] || d.Name() == "testdata") && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		ms, err := fileLectures(root, p)
		out = append(out, ms...)
		return err
	})
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return out, err
}

// fileLectures reads the markers of one file: each marker's code is the
// top-level declaration that holds it or that it documents, or else the
// comment and the declaration after it.
func fileLectures(root, path string) ([]Marker, error) {
	src, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(src), "LECTURE:") {
		return nil, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return nil, nil // not Go we can read: no markers
	}
	rel, _ := filepath.Rel(root, path)
	var out []Marker
	for _, g := range f.Comments {
		for _, m := range lectureRe.FindAllStringSubmatch(g.Text(), -1) {
			start, end := g.Pos(), g.End()
			if d := declFor(f, g); d != nil {
				start, end = min(start, d.Pos()), max(end, d.End())
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
					start = min(start, fd.Doc.Pos())
				}
				if gd, ok := d.(*ast.GenDecl); ok && gd.Doc != nil {
					start = min(start, gd.Doc.Pos())
				}
			}
			code := string(src[fset.Position(start).Offset:fset.Position(end).Offset])
			out = append(out, Marker{Name: m[1], File: filepath.ToSlash(rel), Line: fset.Position(g.Pos()).Line, Code: code})
		}
	}
	return out, nil
}

// declFor is the declaration that holds comment g, or the first one after
// it when it is between declarations (nil at the end of the file or when
// the comment is the file's header before the package clause).
func declFor(f *ast.File, g *ast.CommentGroup) ast.Decl {
	if g.End() < f.Package {
		return nil
	}
	for _, d := range f.Decls {
		if d.Pos() <= g.Pos() && g.End() <= d.End() {
			return d
		}
		if d.Pos() >= g.End() {
			return d
		}
	}
	return nil
}

// FindLecture returns the markers named name.
func FindLecture(ms []Marker, name string) ([]Marker, error) {
	var out []Marker
	for _, m := range ms {
		if m.Name == name {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no LECTURE marker %q (mkos lecture lists them)", name)
	}
	return out, nil
}
