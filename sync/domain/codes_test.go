package domain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Every Code constant declared in codes*.go is registered (passed to hub, station, shared or
// status there): a code that is declared and used but not registered would reach people
// without a message, because the catalogue tests only see registered codes.
func TestDeclaredCodesAreRegistered(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("codes*.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]token.Position{}
	registered := map[string]bool{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for name, pos := range codeConsts(f) {
			declared[name] = fset.Position(pos)
		}
		for name := range registeredNames(f) {
			registered[name] = true
		}
	}
	if len(declared) < 100 || !registered["CodeBadCredentials"] {
		t.Fatalf("the scan found %d declared codes and %d registered ones", len(declared), len(registered))
	}
	for name, pos := range declared {
		if !registered[name] {
			t.Errorf("%s: %s is declared but not registered", pos, name)
		}
	}
}

// codeConsts lists the constants named Code… that have a value of their own.
func codeConsts(f *ast.File) map[string]token.Pos {
	out := map[string]token.Pos{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			for _, n := range s.(*ast.ValueSpec).Names {
				if strings.HasPrefix(n.Name, "Code") {
					out[n.Name] = n.Pos()
				}
			}
		}
	}
	return out
}

// registeredNames lists the constants passed first to hub, station, shared or status.
func registeredNames(f *ast.File) map[string]bool {
	out := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		fn, ok := call.Fun.(*ast.Ident)
		if !ok {
			return true
		}
		switch fn.Name {
		case "hub", "station", "shared", "status":
			if id, ok := call.Args[0].(*ast.Ident); ok {
				out[id.Name] = true
			}
		}
		return true
	})
	return out
}
