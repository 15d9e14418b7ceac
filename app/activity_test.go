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
	live := domain.Activity{ID: "a1", Station: "HX01", Title: "接待日", Starts: now.Add(-time.Hour), Ends: now.Add(time.Hour),
		SignUpCloses: now.Add(time.Hour), Capacity: 1}
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

// lastFact is the id of the kiosk's latest own fact.
func lastFact(t *testing.T, b badgeStation) string {
	t.Helper()
	evs, err := b.store.LocalFactsAfter(context.Background(), 0, 1000)
	if err != nil || len(evs) == 0 {
		t.Fatalf("own facts: %d, %v", len(evs), err)
	}
	return evs[len(evs)-1].ID
}

func TestSignUpCancelAndTheHubsAnswers(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	ctx := context.Background()
	now := time.Now()
	soon := domain.Activity{ID: "a2", Station: "HX01", Title: "议事会", Starts: now.Add(24 * time.Hour),
		Ends: now.Add(26 * time.Hour), Capacity: 1}
	notYet := soon
	notYet.ID, notYet.SignUpOpens = "a3", now.Add(time.Hour)
	off := soon
	off.ID, off.Cancelled = "a4", true
	seq := int64(0)
	remote := func(evs ...domain.Event) {
		t.Helper()
		if err := b.store.ApplyRemote(ctx, "epoch-test", evs, seq); err != nil {
			t.Fatal(err)
		}
	}
	hub := func(kind domain.Kind, stream string, v any) domain.Event {
		seq++
		return refEvent(t, seq, kind, stream, v)
	}
	remote(hub(domain.KindActivityUpserted, "activity:a2", soon), hub(domain.KindActivityUpserted, "activity:a3", notYet),
		hub(domain.KindActivityUpserted, "activity:a4", off))
	if r := b.Rep.ScanText(b.badge(t, "B0001", now.AddDate(0, 1, 0), b.hubSign)); !r.OK {
		t.Fatalf("scan %+v", r)
	}
	if _, err := b.Activities.CancelSignUp("a2"); AsError(err).Code != domain.CodeSignUpNone {
		t.Fatalf("cancel without a sign-up: %v", err)
	}
	for id, want := range map[string]string{"a3": domain.CodeSignUpNotOpen, "a4": domain.CodeActivityCancelled} {
		if _, err := b.Activities.SignUpActivity(id); AsError(err).Code != want {
			t.Errorf("sign-up to %s: %v, want %s", id, err, want)
		}
		if st, _ := b.Activities.ActivityStatus(id); st.SignUpRefusal != want {
			t.Errorf("%s status says %q", id, st.SignUpRefusal)
		}
	}

	// offline: the sign-up waits for the hub; then the hub puts it on the waitlist
	st, err := b.Activities.SignUpActivity("a2")
	if err != nil || !st.Mine || st.Place != "pending" || st.SignedUp != 1 {
		t.Fatalf("sign-up %+v %v", st, err)
	}
	signUp := lastFact(t, b)
	answer := func(status string, pos int, promoted bool, answers string) domain.Event {
		return hub(domain.KindActivitySignUpStatus, "activity:a2", domain.SignUpStatus{ActivityID: "a2", PersonID: "HX01-R01",
			Status: status, Position: pos, Capacity: 1, Promoted: promoted, Answers: answers})
	}
	remote(answer(domain.SignUpWaitlisted, 1, false, signUp))
	if st, _ := b.Activities.ActivityStatus("a2"); st.Place != domain.SignUpWaitlisted || st.Position != 1 || !st.Mine {
		t.Fatalf("after the hub's answer %+v", st)
	}
	remote(answer(domain.SignUpConfirmed, 0, true, signUp))
	mine, err := b.Activities.MySignUps()
	if err != nil || len(mine) != 1 || mine[0].Activity.ID != "a2" || mine[0].Status.Place != domain.SignUpConfirmed ||
		!mine[0].Status.Promoted || mine[0].Status.Confirmed != 1 {
		t.Fatalf("my sign-ups after the promotion: %+v, %v", mine, err)
	}

	// cancelled here: shown as cancelling until the hub answers the cancellation; an answer
	// to the older sign-up arriving late does not undo it
	st, err = b.Activities.CancelSignUp("a2")
	if err != nil || st.Mine || st.Place != "cancelling" || st.SignedUp != 0 {
		t.Fatalf("cancel %+v %v", st, err)
	}
	cancel := lastFact(t, b)
	remote(answer(domain.SignUpConfirmed, 0, false, signUp))
	if st, _ := b.Activities.ActivityStatus("a2"); st.Place != "cancelling" {
		t.Fatalf("a late answer to the sign-up: %+v", st)
	}
	remote(answer(domain.SignUpCancelled, 0, false, cancel))
	if st, _ := b.Activities.ActivityStatus("a2"); st.Place != domain.SignUpCancelled || st.Mine {
		t.Fatalf("after the hub confirmed the cancellation: %+v", st)
	}
	if _, err := b.Activities.CancelSignUp("a2"); AsError(err).Code != domain.CodeSignUpNone {
		t.Fatalf("second cancel: %v", err)
	}
	// signing up again is a new sign-up, pending until answered
	if st, err := b.Activities.SignUpActivity("a2"); err != nil || st.Place != "pending" {
		t.Fatalf("sign-up again %+v %v", st, err)
	}
	// a rebuild of the projections gives the same
	if err := b.store.RebuildProjections(ctx); err != nil {
		t.Fatal(err)
	}
	if st, _ := b.Activities.ActivityStatus("a2"); st.Place != "pending" || !st.Mine {
		t.Fatalf("after a rebuild: %+v", st)
	}
	if _, err := b.Activities.SignUpCode("a2"); AsError(err).Code != domain.CodeSignUpUnpaired {
		t.Fatalf("phone sign-up code without a hub: %v", err)
	}
}

func TestSignUpCodePointsAtTheHubsPage(t *testing.T) {
	t.Parallel()
	ts := newTestStationWith(t, func(c *Config) { c.HubURL = "http://hub.test/" }, nil)
	now := time.Now()
	act := domain.Activity{ID: "HX01-A06", Station: "HX01", Title: "议事会", Starts: now.Add(time.Hour), Ends: now.Add(2 * time.Hour)}
	if err := ts.store.ApplyRemote(context.Background(), "epoch-test",
		[]domain.Event{refEvent(t, 3, domain.KindActivityUpserted, "activity:HX01-A06", act)}, 3); err != nil {
		t.Fatal(err)
	}
	qr, err := ts.Activities.SignUpCode("HX01-A06")
	if err != nil || qr.URL != "http://hub.test/a/signup/HX01-A06" || !strings.HasPrefix(qr.QRDataURL, "data:image/png;base64,") {
		t.Fatalf("sign-up code %+v, %v", qr, err)
	}
}
