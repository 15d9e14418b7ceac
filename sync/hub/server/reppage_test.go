package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
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

// The page shows the photo and profile an admin entered; a retired representative's page
// says they no longer receive residents and shows nothing else.
func TestRepresentativePagePhotoProfileAndRetired(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()
	put := func(r domain.Representative) {
		t.Helper()
		data, _ := json.Marshal(r)
		if _, err := f.store.PutRefs(ctx, []store.RefWrite{{Kind: domain.KindRepresentativeUpserted, Key: r.ID, Data: data}},
			domain.Actor{Role: domain.RoleStaff, Name: "测试"}); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := f.store.Representative(ctx, "HX01-R01")
	if err != nil {
		t.Fatal(err)
	}
	rep.Photo, rep.Profile = "/media/reps/HX01-R01.jpg?v=abc123", "长期关注社区养老。\n每月接待选民。"
	put(rep)
	resp, body := f.do(t, http.MethodGet, RepPath+"HX01-R01", "", nil)
	page := string(body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `src="/media/reps/HX01-R01.jpg?v=abc123"`) ||
		!strings.Contains(page, "长期关注社区养老") {
		t.Fatalf("page with photo and profile: %d %s", resp.StatusCode, page)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self'") {
		t.Errorf("the page may not load the photo: %s", csp)
	}
	rep.Retired = true
	put(rep)
	resp, body = f.do(t, http.MethodGet, RepPath+"HX01-R01", "", nil)
	page = string(body)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(page, "已不在联络站接待选民") || strings.Contains(page, "张三") {
		t.Fatalf("retired representative's page: %d %s", resp.StatusCode, page)
	}
}
