package course

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// StubFile returns the Go source src with the body of each function in
// funcs ("Func" or "Type.Method") replaced by panic("lab LAB: TODO"), the
// comments inside those bodies dropped, and the imports no longer used
// removed. Every name in funcs must be found.
func StubFile(filename string, src []byte, lab string, funcs []string) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, fn := range funcs {
		want[fn] = true
	}
	var cut [][2]token.Pos // the bodies removed
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || !want[funcName(fd)] {
			continue
		}
		delete(want, funcName(fd))
		cut = append(cut, [2]token.Pos{fd.Body.Lbrace, fd.Body.Rbrace})
		fd.Body = &ast.BlockStmt{Lbrace: fd.Body.Lbrace, Rbrace: fd.Body.Lbrace + 1, List: []ast.Stmt{
			&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent("panic"),
				Args: []ast.Expr{&ast.BasicLit{Kind: token.STRING, Value: strconv.Quote("lab " + lab + ": TODO")}}}},
		}}
	}
	if len(want) > 0 {
		var missing []string
		for fn := range want {
			missing = append(missing, fn)
		}
		return nil, fmt.Errorf("%s: no function %s to stub", filename, strings.Join(missing, ", "))
	}
	f.Comments = keepComments(f.Comments, cut)
	dropUnusedImports(f)
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// funcName is "Name" or "Type.Name" for a method.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

func keepComments(groups []*ast.CommentGroup, cut [][2]token.Pos) []*ast.CommentGroup {
	var out []*ast.CommentGroup
	for _, g := range groups {
		inside := false
		for _, c := range cut {
			inside = inside || (g.Pos() > c[0] && g.End() <= c[1])
		}
		if !inside {
			out = append(out, g)
		}
	}
	return out
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// importName is the name a file uses for an import.
func importName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	p, _ := strconv.Unquote(spec.Path.Value)
	base := path.Base(p)
	if majorVersion.MatchString(base) && strings.Contains(p, "/") {
		base = path.Base(path.Dir(p))
	}
	if i := strings.IndexAny(base, ".-"); i > 0 {
		base = base[:i]
	}
	return base
}

// dropUnusedImports removes the imports no selector of the file uses.
func dropUnusedImports(f *ast.File) {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	keep := func(s *ast.ImportSpec) bool {
		name := importName(s)
		return name == "_" || name == "." || used[name]
	}
	var imports []*ast.ImportSpec
	for _, s := range f.Imports {
		if keep(s) {
			imports = append(imports, s)
		}
	}
	f.Imports = imports
	var decls []ast.Decl
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			decls = append(decls, d)
			continue
		}
		var specs []ast.Spec
		for _, s := range gd.Specs {
			if keep(s.(*ast.ImportSpec)) {
				specs = append(specs, s)
			}
		}
		if len(specs) > 0 {
			gd.Specs = specs
			decls = append(decls, gd)
		}
	}
	f.Decls = decls
}
