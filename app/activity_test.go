package app

import (
	"context"
	"crypto/ed25519"
	"net/url"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
)

func TestActivityCheckInAndRotatingCode(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	ctx := context.Background()
	now := time.Now()
	live := domain.Activity{ID: "a1", Station: "HX01", Title: "接待日", Starts: now.Add(-time.Hour), Ends: now.Add(time.Hour), Capacity: 1}
	past := domain.Activity{ID: "a0", Station: "HX01", Title: "议事会", Starts: now.Add(-3 * time.Hour), Ends: now.Add(-2 * time.Hour)}
	refs := []domain.Event{
		refEvent(t, 5, domain.KindActivityUpserted, "activity:a1", live),
		refEvent(t, 6, domain.KindActivityUpserted, "activity:a0", past),
	}
	if err := b.store.ApplyRemote(ctx, "epoch-test", refs, 6); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Activities.CheckInActivity("a1"); AsError(err).Code != CodeNoSession {
		t.Fatalf("check-in with nobody at the kiosk: %v", err)
	}
	if r := b.Rep.ScanText(b.badge(t, "B0001", now.AddDate(0, 1, 0), b.hubSign)); !r.OK {
		t.Fatalf("scan %+v", r)
	}
	for i := 0; i < 2; i++ { // the second press records nothing new
		st, err := b.Activities.CheckInActivity("a1")
		if err != nil || st.Attended != 1 || !st.CheckedIn {
			t.Fatalf("check-in %d: %+v %v", i, st, err)
		}
	}
	if _, err := b.Activities.CheckInActivity("a0"); AsError(err).Code != domain.CodeCheckInClosed {
		t.Fatalf("check-in after the end: %v", err)
	}
	st, err := b.Activities.SignUpActivity("a1")
	if err != nil || !st.Mine || st.Place != "pending" {
		t.Fatalf("sign-up %+v %v", st, err)
	}
	answer := refEvent(t, 7, domain.KindActivitySignUpStatus, "activity:a1",
		domain.SignUpStatus{ActivityID: "a1", PersonID: "HX01-R01", Status: domain.SignUpWaitlisted, Position: 2, Capacity: 1})
	if err := b.store.ApplyRemote(ctx, "epoch-test", []domain.Event{answer}, 7); err != nil {
		t.Fatal(err)
	}
	if st, _ := b.Activities.ActivityStatus("a1"); st.Place != domain.SignUpWaitlisted || st.Position != 2 {
		t.Fatalf("after the hub's answer %+v", st)
	}

	if _, err := b.Activities.CheckInCode("a1"); AsError(err).Code != domain.CodeCheckInUnpaired {
		t.Fatalf("code without a hub: %v", err)
	}
}

func TestRotatingCodeVerifiesAtHub(t *testing.T) {
	t.Parallel()
	ts := newTestStationWith(t, func(c *Config) { c.HubURL = "http://hub.test" }, nil)
	ctx := context.Background()
	now := time.Now()
	act := domain.Activity{ID: "a1", Station: "HX01", Title: "接待日", Starts: now.Add(-time.Hour), Ends: now.Add(time.Hour)}
	if err := ts.store.ApplyRemote(ctx, "epoch-test", []domain.Event{refEvent(t, 3, domain.KindActivityUpserted, "activity:a1", act)}, 3); err != nil {
		t.Fatal(err)
	}
	qr, err := ts.Activities.CheckInCode("a1")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(qr.URL)
	if err != nil || !strings.HasPrefix(qr.URL, "http://hub.test/a/checkin?c=") || !strings.HasPrefix(qr.QRDataURL, "data:image/png;base64,") {
		t.Fatalf("code URL %q: %v", qr.URL, err)
	}
	pub := ts.id.Key.Public().(ed25519.PublicKey)
	keys := func(id string) ed25519.PublicKey {
		if id == ts.id.DeviceID {
			return pub
		}
		return nil
	}
	c, err := domain.VerifyCheckIn(u.Query().Get("c"), keys, now)
	if err != nil || c.Activity != "a1" || c.Window != qr.Window {
		t.Fatalf("hub-side verification: %+v %v", c, err)
	}
	if _, err := domain.VerifyCheckIn(u.Query().Get("c"), keys, now.Add(2*domain.CheckInWindow)); err == nil {
		t.Fatal("a code two windows old verified")
	}
	exp, err := time.Parse(time.RFC3339Nano, qr.Expires)
	if err != nil || !exp.After(now) || exp.After(now.Add(domain.CheckInWindow+time.Second)) {
		t.Fatalf("expires %q: %v", qr.Expires, err)
	}
}
