package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
)

func (f *fixture) putActivity(t *testing.T, name string, a domain.Activity) {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	ev := domain.Event{Station: a.Station, Stream: "activity:" + a.ID, Kind: domain.KindActivityUpserted, At: f.clk.Now(),
		Actor: domain.Actor{Role: domain.RoleStaff, Name: "测试"}, Data: b}
	if ok, err := f.store.Import(context.Background(), name, []domain.Event{ev}); err != nil || !ok {
		t.Fatalf("record activity: %v %v", ok, err)
	}
}

func (f *fixture) signUpPost(t *testing.T, activity string, form url.Values) (int, string) {
	t.Helper()
	resp, err := f.srv.Client().PostForm(f.srv.URL+SignUpPath+"/"+activity, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestSignUpPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	act := domain.Activity{ID: "HX01-A90", Station: "HX01", Title: "小区停车议事会", Place: "联络站会议室",
		Starts: f.clk.Now().Add(24 * time.Hour), Ends: f.clk.Now().Add(26 * time.Hour), Capacity: 1}
	f.putActivity(t, "a90", act)

	resp, body := f.do(t, "GET", SignUpPath+"/"+act.ID, "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), act.Title) ||
		!strings.Contains(string(body), `value="signup"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("form: %d %s", resp.StatusCode, body)
	}
	posts := 0
	post := func(phone, action string, extra ...string) (int, string) {
		posts++
		form := url.Values{"phone": {phone}, "action": {action}}
		for i := 0; i+1 < len(extra); i += 2 {
			form.Set(extra[i], extra[i+1])
		}
		return f.signUpPost(t, act.ID, form)
	}
	const a, b = "138 0013 8000", "13900139000"
	if code, page := post(a, "signup"); code != http.StatusOK || !strings.Contains(page, "报名成功") {
		t.Fatalf("first: %d %s", code, page)
	}
	if code, page := post(b, "signup"); code != http.StatusOK || !strings.Contains(page, "候补第 1 位") {
		t.Fatalf("second: %d %s", code, page)
	}
	// cancelling asks first, and asking changes nothing
	if code, page := post(a, "cancel"); code != http.StatusOK || !strings.Contains(page, `id="confirm-cancel"`) {
		t.Fatalf("cancel without confirming: %d %s", code, page)
	}
	if code, page := post(b, "status"); code != http.StatusOK || !strings.Contains(page, "候补第 1 位") {
		t.Fatalf("status before the cancellation: %d %s", code, page)
	}
	if code, page := post(a, "cancel", "confirm", "1"); code != http.StatusOK || !strings.Contains(page, "已取消报名") {
		t.Fatalf("cancel: %d %s", code, page)
	}
	if code, page := post(b, "status"); code != http.StatusOK || !strings.Contains(page, "已转为正式名额") {
		t.Fatalf("promoted: %d %s", code, page)
	}
	if code, page := post(a, "cancel", "confirm", "1"); code != http.StatusNotFound || !strings.Contains(page, "无需取消") {
		t.Fatalf("second cancel: %d %s", code, page)
	}
	if code, _ := post("12345", "signup"); code != http.StatusBadRequest {
		t.Fatalf("bad phone: %d", code)
	}
	if code, _ := post(a, "delete"); code != http.StatusBadRequest {
		t.Fatalf("unknown action: %d", code)
	}
	if code, _ := f.signUpPost(t, "HX01-A99", url.Values{"phone": {a}, "action": {"signup"}}); code != http.StatusNotFound {
		t.Fatalf("unknown activity: %d", code)
	}
	posts++

	// a closed sign-up offers no 报名 and says why
	act.SignUpCloses = f.clk.Now().Add(-time.Minute)
	f.putActivity(t, "a90-closed", act)
	resp, body = f.do(t, "GET", SignUpPath+"/"+act.ID, "", nil)
	if resp.StatusCode != http.StatusOK || strings.Contains(string(body), `value="signup"`) || !strings.Contains(string(body), "报名已经截止") {
		t.Fatalf("closed form: %d %s", resp.StatusCode, body)
	}
	if code, page := post("13700137000", "signup"); code != http.StatusConflict || !strings.Contains(page, "报名已经截止") {
		t.Fatalf("sign-up after the close: %d %s", code, page)
	}

	// one address may post SignUpPosts times in the window
	for posts < SignUpPosts {
		if code, _ := post(b, "status"); code != http.StatusOK {
			t.Fatalf("post %d: %d", posts, code)
		}
	}
	if code, page := post(b, "status"); code != http.StatusTooManyRequests || !strings.Contains(page, "太频繁") {
		t.Fatalf("post %d: %d %s", posts, code, page)
	}
	f.clk.Advance(SignUpWindow)
	if code, _ := post(b, "status"); code != http.StatusOK {
		t.Fatalf("after the window: %d", code)
	}
}
