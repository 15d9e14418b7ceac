package httpjson

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	w := httptest.NewRecorder()
	Write(w, 418, map[string]string{"name": "<张三>"})
	if w.Code != 418 || w.Header().Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("answer %d %v", w.Code, w.Header())
	}
	if got := w.Body.String(); got != "{\"name\":\"<张三>\"}\n" {
		t.Fatalf("body %q", got)
	}
}

func TestDecode(t *testing.T) {
	type body struct {
		Code string `json:"code"`
	}
	for _, tc := range []struct {
		name, in string
		ok       bool
	}{
		{"one value", `{"code":"ABCD1234"}`, true},
		{"unknown field", `{"code":"x","extra":1}`, false},
		{"trailing data", `{"code":"x"} {}`, false},
		{"too big", `{"code":"` + strings.Repeat("x", 100) + `"}`, false},
		{"not JSON", `code=x`, false},
	} {
		var b body
		err := Decode(httptest.NewRequest("POST", "/", strings.NewReader(tc.in)), &b, 64)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
