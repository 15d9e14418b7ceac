package server

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// liveActivity returns the demo activity under way at the fixture's clock.
func liveActivity(t *testing.T, f *fixture) domain.Activity {
	t.Helper()
	raw, err := f.store.RefData(context.Background(), domain.KindActivityUpserted, "HX01")
	if err != nil {
		t.Fatal(err)
	}
	now := f.clk.Now()
	for _, r := range raw {
		var a domain.Activity
		if json.Unmarshal(r, &a) == nil && !now.Before(a.Starts) && now.Before(a.Ends) {
			return a
		}
	}
	t.Fatal("no demo activity under way")
	return domain.Activity{}
}

func kioskKey(t *testing.T, st *sqlitestore.Store) (string, ed25519.PrivateKey) {
	t.Helper()
	d, priv := storetest.PairKeyed(t, st, "HX01", store.RoleKiosk, "测试一体机")
	return d.ID, priv
}

func (f *fixture) form(t *testing.T, code, phone string) (int, string) {
	t.Helper()
	resp, err := f.srv.Client().PostForm(f.srv.URL+CheckInPath, url.Values{"c": {code}, "phone": {phone}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

func TestCheckInPage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	act := liveActivity(t, f)
	dev, key := kioskKey(t, f.store)
	sign := func(at time.Time) string {
		c, err := domain.SignCheckIn(domain.CheckInCode{Activity: act.ID, Device: dev, Window: domain.WindowOf(at)}, key)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	fresh := sign(f.clk.Now())

	resp, body := f.do(t, "GET", CheckInPath+"?c="+fresh, "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="phone"`) ||
		!strings.Contains(string(body), act.Title) {
		t.Fatalf("form: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatal("check-in page may leak its code in the referrer")
	}
	if code, page := f.form(t, fresh, "13800138000"); code != http.StatusOK || !strings.Contains(page, "签到成功") {
		t.Fatalf("first check-in: %d %s", code, page)
	}
	if code, page := f.form(t, fresh, "138-0013-8000"); code != http.StatusConflict || !strings.Contains(page, "已经签到") {
		t.Fatalf("reused: %d %s", code, page)
	}
	stale := sign(f.clk.Now().Add(-2 * domain.CheckInWindow))
	if resp, body := f.do(t, "GET", CheckInPath+"?c="+stale, "", nil); resp.StatusCode != http.StatusGone ||
		strings.Contains(string(body), `name="phone"`) {
		t.Fatalf("stale form: %d %s", resp.StatusCode, body)
	}
	if code, _ := f.form(t, stale, "13900139000"); code != http.StatusGone {
		t.Fatalf("stale submit: %d", code)
	}
	if resp, _ := f.do(t, "GET", CheckInPath+"?c=garbage", "", nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("garbage: %d", resp.StatusCode)
	}
	if code, page := f.form(t, fresh, "12"); code != http.StatusBadRequest || !strings.Contains(page, `name="phone"`) {
		t.Fatalf("bad phone keeps the form: %d", code)
	}
	if _, att, _ := f.store.ActivityCounts(context.Background(), act.ID); att != 1 {
		t.Fatalf("attended %d, want 1", att)
	}
}

func TestBadgeAPI(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	if resp, _ := f.do(t, "GET", "/api/v1/badges", "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: %d", resp.StatusCode)
	}
	resp, body := f.do(t, "POST", "/api/v1/badges", f.token, IssueRequest{RepID: "HX01-R01"})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("issue: %d %s", resp.StatusCode, body)
	}
	var b store.BadgeRecord
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	if _, err := domain.VerifyBadge(b.Payload, f.store.Keys().SignPublicKey(), f.clk.Now(), nil); err != nil {
		t.Fatalf("issued badge does not verify: %v", err)
	}
	if resp, body := f.do(t, "POST", "/api/v1/badges", f.token, IssueRequest{RepID: "nobody"}); resp.StatusCode != http.StatusNotFound ||
		errorCode(t, body) != "unknown_rep" {
		t.Fatalf("unknown rep: %d", resp.StatusCode)
	}
	if resp, _ := f.do(t, "POST", "/api/v1/badges/"+b.Serial+"/revoke", f.token, RevokeRequest{Reason: "遗失"}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	if resp, body := f.do(t, "POST", "/api/v1/badges/"+b.Serial+"/revoke", f.token, nil); resp.StatusCode != http.StatusConflict ||
		errorCode(t, body) != "badge_revoked" {
		t.Fatalf("revoke twice: %d", resp.StatusCode)
	}
	resp, body = f.do(t, "GET", "/api/v1/badges", f.token, nil)
	var list BadgeList
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != http.StatusOK || len(list.Badges) != 1 ||
		list.Badges[0].RevokedAt == nil {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.do(t, "GET", "/api/v1/duty?day=2026-11-23", f.token, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("duty without station: %d", resp.StatusCode)
	}
	resp, body = f.do(t, "GET", "/api/v1/duty?station=HX01&day=2026-11-23", f.token, nil)
	var duty DutyList
	if err := json.Unmarshal(body, &duty); err != nil || resp.StatusCode != http.StatusOK || duty.Signs == nil {
		t.Fatalf("duty: %d %s", resp.StatusCode, body)
	}
}
