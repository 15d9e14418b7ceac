package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"liaison/sync/domain"
)

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// catalogue is a frontend message file: frontend/src/i18n/messages.<lang>.json.
type catalogue map[string]map[string]string

func readCatalogue(t *testing.T, lang string) catalogue {
	t.Helper()
	b, err := os.ReadFile("../frontend/src/i18n/messages." + lang + ".json")
	if err != nil {
		t.Fatalf("read frontend catalogue: %v", err)
	}
	var c catalogue
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("parse frontend catalogue %s: %v", lang, err)
	}
	return c
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// Every code Go can show on the station has a message in each language of the frontend's
// catalogue, using only the parameters the code declares; the catalogue holds no code Go
// does not register. vue-i18n reads | and @ as syntax, so messages may not contain them.
func TestFrontendCatalogueCoversEveryStationCode(t *testing.T) {
	for _, lang := range []string{"zh-CN", "en"} {
		c := readCatalogue(t, lang)
		for _, info := range domain.Codes() {
			if info.Shown&domain.OnStation == 0 {
				continue
			}
			msg := c[info.Group][info.Code]
			if msg == "" {
				t.Errorf("%s: no message for %s.%s", lang, info.Group, info.Code)
				continue
			}
			for _, m := range placeholder.FindAllStringSubmatch(msg, -1) {
				if !slices.Contains(info.Params, m[1]) {
					t.Errorf("%s: %s uses {%s}, which the code does not declare", lang, info.Code, m[1])
				}
			}
			if strings.ContainsAny(msg, "|@") {
				t.Errorf("%s: %s: %q holds vue-i18n syntax", lang, info.Code, msg)
			}
		}
		for group, msgs := range c {
			for code := range msgs {
				if info, ok := domain.LookupCode(code); !ok || info.Group != group || info.Shown&domain.OnStation == 0 {
					t.Errorf("%s: %s.%s is not a registered station code", lang, group, code)
				}
			}
		}
	}
}

func TestAsErrorKeepsCodesAndParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		code   string
		params map[string]string
	}{
		{"app error", appError(domain.CodeTextTooLong, "max", "1000"), domain.CodeTextTooLong, map[string]string{"max": "1000"}},
		{"wrapped domain error", fmt.Errorf("record: %w", domain.NewError(domain.CodeCaseNotFound)), domain.CodeCaseNotFound, nil},
		{"refused transition", &domain.TransitionError{Code: domain.CodeState,
			Reason: domain.NewError(domain.CodeStateForbidden, "state", "closed", "kind", "case.rated")},
			domain.CodeStateForbidden, map[string]string{"state": "closed", "kind": "case.rated"}},
		{"anything else", errors.New("database is locked"), CodeInternal, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := AsError(tt.err)
			if e.Code != tt.code || len(e.Params) != len(tt.params) {
				t.Fatalf("AsError = %+v", e)
			}
			for k, v := range tt.params {
				if e.Params[k] != v {
					t.Errorf("param %s = %q, want %q", k, e.Params[k], v)
				}
			}
			if strings.Contains(e.Error(), "database") || strings.ContainsFunc(e.Error(), isHan) {
				t.Errorf("the wire form leaks internals or wording: %s", e)
			}
		})
	}
}

// Go words no error for people: an errors.New or fmt.Errorf with Chinese in the station's
// services or the sync packages would be text the catalogues do not hold, and so would a
// hub answer (writeError, codeError, an APIError's Message) worded in Go instead of by its
// code from sync/text.
func TestGoErrorsHoldNoChinese(t *testing.T) {
	t.Parallel()
	for _, root := range []string{".", "../sync"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			for _, lit := range chineseErrorText(f) {
				t.Errorf("%s: error text in Chinese: %s", fset.Position(lit.Pos()), lit.Value)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// The check itself finds Chinese wherever an error or an answer is made.
func TestChineseErrorTextIsFound(t *testing.T) {
	t.Parallel()
	src := `package p
func f() {
	_ = errors.New("坏了")
	_ = fmt.Errorf("%w: 坏了", err)
	writeError(w, 400, "bad_request", "请求格式错误")
	codeError(w, 400, code, map[string]string{"detail": "坏了"})
	_ = APIError{Code: "x", Message: "坏了"}
	_ = &APIError{Code: "x", Message: "坏" + "了"}
	_ = errors.New("broken")
	writeError(w, 400, domain.CodeBadRequest, "detail", "json")
	_ = APIError{Code: "x", Message: text.Message(text.ZhCN, "x", nil)}
	label := "受理"
}`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(chineseErrorText(f)); got != 7 {
		t.Errorf("found %d Chinese literals, want 7", got)
	}
}

// chineseErrorText lists the Chinese string literals in f that make an error or a hub answer.
func chineseErrorText(f *ast.File) []*ast.BasicLit {
	calls := map[string]bool{"errors.New": true, "fmt.Errorf": true, "writeError": true, "codeError": true}
	var out []*ast.BasicLit
	collect := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, _ := strconv.Unquote(lit.Value); strings.ContainsFunc(s, isHan) {
					out = append(out, lit)
				}
			}
			return true
		})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if calls[funcName(n.Fun)] {
				for _, a := range n.Args {
					collect(a)
				}
				return false
			}
		case *ast.CompositeLit:
			if name := funcName(n.Type); name == "APIError" || strings.HasSuffix(name, ".APIError") {
				for _, el := range n.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok && funcName(kv.Key) == "Message" {
						collect(kv.Value)
					}
				}
			}
		}
		return true
	})
	return out
}

// funcName is "pkg.Name" for a selector on a package name, "Name" for a bare identifier.
func funcName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			return x.Name + "." + e.Sel.Name
		}
	}
	return ""
}
