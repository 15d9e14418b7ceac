package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store"
)

func listBadges(t *testing.T, c *client) []console.AdminBadge {
	t.Helper()
	resp, body := c.do(t, "GET", "/api/v1/admin/badges", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("list badges: %d %s", resp.StatusCode, body)
	}
	var out console.BadgeList
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Badges
}

func issueBadge(t *testing.T, c *client, req console.BadgeIssue) console.AdminBadge {
	t.Helper()
	resp, body := c.do(t, "POST", "/api/v1/admin/badges", req)
	if resp.StatusCode != 201 {
		t.Fatalf("issue %+v: %d %s", req, resp.StatusCode, body)
	}
	var b console.AdminBadge
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestIssueReissueRevokeBadges(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	first := issueBadge(t, admin, console.BadgeIssue{RepID: "HX01-R01", LastDay: "2027-06-30"})
	if first.RepID != "HX01-R01" || first.RepName == "" || first.LastDay != "2027-06-30" ||
		first.State != console.BadgeActive || first.RevokedAt != nil {
		t.Fatalf("issued %+v", first)
	}
	second := issueBadge(t, admin, console.BadgeIssue{RepID: "HX01-R02"})
	if second.LastDay != "2027-11-23" { // one year from 10:00 on 2026-11-23, China time
		t.Errorf("default validity ends %s", second.LastDay)
	}
	for _, tc := range []struct {
		req    console.BadgeIssue
		status int
		code   string
	}{
		{console.BadgeIssue{RepID: "NOBODY"}, 404, "unknown_rep"},
		{console.BadgeIssue{RepID: " "}, 400, "bad_request"},
		{console.BadgeIssue{RepID: "HX01-R01", LastDay: "30/06/2027"}, 400, "bad_request"},
		{console.BadgeIssue{RepID: "HX01-R01", LastDay: "2026-11-01"}, 400, "bad_request"},
	} {
		if resp, body := admin.do(t, "POST", "/api/v1/admin/badges", tc.req); resp.StatusCode != tc.status || errorCode(t, body) != tc.code {
			t.Errorf("issue %+v: %d %s, want %d %s", tc.req, resp.StatusCode, body, tc.status, tc.code)
		}
	}

	// Revoking wants a reason.
	path := "/api/v1/admin/badges/" + second.Serial + "/revoke"
	if resp, body := admin.do(t, "POST", path, console.BadgeRevoke{Reason: "  "}); resp.StatusCode != 400 || errorCode(t, body) != "bad_request" {
		t.Fatalf("revoke without reason: %d %s", resp.StatusCode, body)
	}
	if resp, body := admin.do(t, "POST", path, console.BadgeRevoke{Reason: "代表调离"}); resp.StatusCode != 204 {
		t.Fatalf("revoke: %d %s", resp.StatusCode, body)
	}
	if resp, body := admin.do(t, "POST", path, console.BadgeRevoke{Reason: "代表调离"}); resp.StatusCode != 409 || errorCode(t, body) != "badge_revoked" {
		t.Fatalf("revoke twice: %d %s", resp.StatusCode, body)
	}
	if resp, body := admin.do(t, "POST", "/api/v1/admin/badges/B9999/revoke", console.BadgeRevoke{Reason: "遗失"}); resp.StatusCode != 404 || errorCode(t, body) != "badge_not_found" {
		t.Fatalf("revoke unknown: %d %s", resp.StatusCode, body)
	}
	// The revocation reaches the stations as a ref event, with the admin as the actor.
	evs, err := f.st.StreamEvents(context.Background(), "badge:"+second.Serial)
	if err != nil || len(evs) != 1 || evs[0].Kind != domain.KindBadgeRevoked || evs[0].Actor.ID != "admin" {
		t.Fatalf("revocation event %+v, %v", evs, err)
	}

	// Reissue a lost badge: the old one is revoked, a new one issued to the same person.
	resp, body := admin.do(t, "POST", "/api/v1/admin/badges/"+first.Serial+"/reissue", nil)
	if resp.StatusCode != 201 {
		t.Fatalf("reissue: %d %s", resp.StatusCode, body)
	}
	var again console.AdminBadge
	if err := json.Unmarshal(body, &again); err != nil {
		t.Fatal(err)
	}
	if again.Serial == first.Serial || again.RepID != "HX01-R01" || again.State != console.BadgeActive {
		t.Fatalf("reissued %+v", again)
	}
	if resp, body := admin.do(t, "POST", "/api/v1/admin/badges/B9999/reissue", nil); resp.StatusCode != 404 || errorCode(t, body) != "badge_not_found" {
		t.Fatalf("reissue unknown: %d %s", resp.StatusCode, body)
	}
	list := listBadges(t, admin)
	states := map[string]string{}
	for _, b := range list {
		states[b.Serial] = b.State
	}
	if len(list) != 3 || list[0].Serial != again.Serial || states[first.Serial] != console.BadgeRevoked ||
		states[second.Serial] != console.BadgeRevoked || states[again.Serial] != console.BadgeActive {
		t.Fatalf("badges after reissue %+v", list)
	}
	// Past its last day a badge is listed as expired.
	f.clk.Advance(400 * 24 * time.Hour)
	admin = f.login(t, "admin")
	for _, b := range listBadges(t, admin) {
		if b.Serial == again.Serial && b.State != console.BadgeExpired {
			t.Errorf("a badge past its end is %s", b.State)
		}
	}

	// Only admins manage badges.
	staffC := f.login(t, "wangzr")
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/v1/admin/badges"}, {"POST", "/api/v1/admin/badges"}, {"POST", path},
		{"POST", "/api/v1/admin/badges/B0001/reissue"}, {"GET", "/api/v1/admin/badges/sheet.pdf"},
	} {
		if resp, _ := staffC.do(t, r.method, r.path, console.BadgeIssue{RepID: "HX01-R01"}); resp.StatusCode != 403 {
			t.Errorf("staff %s %s: %d, want 403", r.method, r.path, resp.StatusCode)
		}
	}
}

func TestBadgeSheetPDF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	ctx := context.Background()
	// HX01-R01 has a photo in the data directory.
	rep, err := f.st.Representative(ctx, "HX01-R01")
	if err != nil {
		t.Fatal(err)
	}
	rep.Photo = "/media/reps/HX01-R01.jpg?v=1"
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.PutRefs(ctx, []store.RefWrite{{Kind: domain.KindRepresentativeUpserted, Key: rep.ID, Data: data}},
		domain.Actor{Role: domain.RoleStaff, ID: "admin", Name: "管理员"}); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 30, 40))
	img.Set(3, 3, color.RGBA{R: 200, A: 255})
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(f.media, "reps"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(f.media, "reps", "HX01-R01.jpg"), jpg.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	if resp, body := admin.do(t, "GET", "/api/v1/admin/badges/sheet.pdf", nil); resp.StatusCode != 404 || errorCode(t, body) != "badge_not_found" {
		t.Fatalf("sheet with no badges: %d %s", resp.StatusCode, body)
	}
	var serials []string
	for i := range 10 {
		rep := "HX01-R0" + string(rune('1'+i%2))
		serials = append(serials, issueBadge(t, admin, console.BadgeIssue{RepID: rep}).Serial)
	}
	revokedSerial := serials[9]
	if resp, _ := admin.do(t, "POST", "/api/v1/admin/badges/"+revokedSerial+"/revoke", console.BadgeRevoke{Reason: "遗失"}); resp.StatusCode != 204 {
		t.Fatal("revoke")
	}
	for _, tc := range []struct {
		query  string
		pages  string
		images int
	}{
		{"", "/Count 1", 9 + 1},                                  // the 9 in force: 9 QRs and HX01-R01's photo, stored once for its 5 cards
		{"?ids=" + serials[0] + "," + serials[1], "/Count 1", 3}, // two QRs, one photo
		{"?ids=" + serials[1] + "," + revokedSerial, "/Count 1", 1},
	} {
		resp, body := admin.do(t, "GET", "/api/v1/admin/badges/sheet.pdf"+tc.query, nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("sheet%s: %d %s", tc.query, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !bytes.HasPrefix(body, []byte("%PDF-1.")) || !bytes.Contains(body, []byte(tc.pages)) {
			t.Errorf("sheet%s: not a PDF of the pages wanted", tc.query)
		}
		if n := bytes.Count(body, []byte("/Subtype /Image")); n != tc.images {
			t.Errorf("sheet%s: %d images, want %d", tc.query, n, tc.images)
		}
	}
	if resp, body := admin.do(t, "GET", "/api/v1/admin/badges/sheet.pdf?ids="+revokedSerial, nil); resp.StatusCode != 404 || errorCode(t, body) != "badge_not_found" {
		t.Fatalf("sheet of a revoked badge: %d %s", resp.StatusCode, body)
	}
}
