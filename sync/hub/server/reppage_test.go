package server

import (
	"net/http"
	"strings"
	"testing"
)

func TestRepresentativePage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	resp, body := f.do(t, http.MethodGet, RepPath+"HX01-R01", "", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	page := string(body)
	for _, want := range []string{"张三", "选区", "和谐街道人大代表联络站", "到联络站找代表"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.Contains(page, "近期值班") && !strings.Contains(page, "近期没有排班") {
		t.Error("page says nothing about when to meet the representative")
	}
	resp, body = f.do(t, http.MethodGet, RepPath+"nobody", "", nil)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "未找到这位代表") {
		t.Fatalf("unknown representative: %d %s", resp.StatusCode, body)
	}
}
