package console_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/text"
)

// An error answer carries a registered code, its parameters, and the code's zh-CN message
// from sync/text, which the console and the phone workspace show when they do not word the
// code themselves.
func TestErrorAnswersAreWordedByCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	anon, staff, admin := f.anonymous(t), f.login(t, "wangzr"), f.login(t, "admin")
	tests := []struct {
		name         string
		c            *client
		method, path string
		body         any
		status       int
		code         string
		params       map[string]string
		want         string
	}{
		{"not logged in", anon, "GET", "/api/v1/cases", nil, 401, domain.CodeUnauthorized, nil, "请先登录"},
		{"wrong password", anon, "POST", "/api/v1/login", map[string]string{"login": "wangzr", "password": "wrong"},
			401, domain.CodeBadCredentials, nil, "账号或密码不正确"},
		{"no csrf token", &client{f: f, http: staff.http}, "POST", "/api/v1/cases/bulk/assign", map[string]any{},
			403, domain.CodeCSRF, nil, "页面已过期，请刷新后重试"},
		{"unknown tab", staff, "GET", "/api/v1/cases?tab=nope", nil, 400, domain.CodeBadTab, nil, "未知的分类"},
		{"unknown state", staff, "GET", "/api/v1/cases?state=nope", nil, 400, domain.CodeBadState, nil, "未知的状态"},
		{"bad month", staff, "GET", "/api/v1/reports/monthly?month=2026-13", nil, 400, domain.CodeBadMonth, nil,
			"月份格式应为 YYYY-MM"},
		{"empty bulk", staff, "POST", "/api/v1/cases/bulk/assign", map[string]any{"ids": []string{}},
			400, domain.CodeBulkAssignInvalid, map[string]string{"max": "200"}, "请选择 1–200 件事项和承办单位"},
		{"staff manages no users", staff, "POST", "/api/v1/users", console.NewUser{Login: "lisi", Role: "staff"},
			403, domain.CodeForbidden, nil, "您的账号没有这项权限"},
		{"weak password", admin, "POST", "/api/v1/users",
			console.NewUser{Login: "lisi", Name: "李干事", Role: "staff", Password: "short"},
			400, domain.CodeWeakPassword, map[string]string{"min": strconv.Itoa(console.MinPassword)}, "密码至少 8 个字符"},
		{"malformed body", admin, "POST", "/api/v1/users", "not an object",
			400, domain.CodeBadRequest, map[string]string{"detail": "json"}, "请求格式错误：json"},
		{"no such case", staff, "GET", "/api/v1/cases/nope", nil, 404, domain.CodeCaseNotFound, nil, "找不到该事项"},
	}
	for _, tt := range tests {
		resp, body := tt.c.do(t, tt.method, tt.path, tt.body)
		var e console.APIError
		if err := json.Unmarshal(body, &e); err != nil {
			t.Errorf("%s: %d %s: %v", tt.name, resp.StatusCode, body, err)
			continue
		}
		if resp.StatusCode != tt.status || e.Code != tt.code || e.Message != tt.want || !maps.Equal(e.Params, tt.params) {
			t.Errorf("%s: %d %s, want %d %s %v %q", tt.name, resp.StatusCode, body, tt.status, tt.code, tt.params, tt.want)
		}
		if got := text.Message(text.ZhCN, e.Code, e.Params); got != e.Message {
			t.Errorf("%s: message %q is not the catalogue's %q", tt.name, e.Message, got)
		}
	}
}

// A code the console writes as a literal is registered and worded on the hub; the others are
// domain constants, which sync/domain's tests keep registered.
func TestErrorCodeLiteralsAreRegistered(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) < 3 {
				return true
			}
			if fn, ok := call.Fun.(*ast.Ident); !ok || (fn.Name != "writeError" && fn.Name != "codeError") {
				return true
			}
			calls++
			lit, ok := call.Args[2].(*ast.BasicLit)
			if !ok {
				return true
			}
			code, _ := strconv.Unquote(lit.Value)
			if info, ok := domain.LookupCode(code); !ok || info.Shown&domain.OnHub == 0 {
				t.Errorf("%s: %s is not a registered hub code", fset.Position(lit.Pos()), lit.Value)
			}
			return true
		})
	}
	if calls < 30 {
		t.Errorf("found %d error answers, the scan is broken", calls)
	}
}
