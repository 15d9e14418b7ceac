package sqlitestore

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

var staffActor = domain.Actor{Role: domain.RoleStaff, Name: "测试"}

// importRefs loads one representative and two activities of HX01: a3 under way at t0 with
// room for two, a9 a week later.
func importRefs(t testing.TB, s *Store) {
	t.Helper()
	ref := func(kind domain.Kind, stream string, v any) domain.Event {
		return domain.Event{Station: "HX01", Stream: stream, Kind: kind, At: t0,
			Actor: domain.Actor{Role: domain.RoleSystem, Name: "测试"}, Data: mustJSON(t, v)}
	}
	_, err := s.Import(context.Background(), "test-refs", []domain.Event{
		ref(domain.KindRepresentativeUpserted, "rep:HX01-R01", domain.Representative{ID: "HX01-R01", Name: "张三"}),
		ref(domain.KindActivityUpserted, "activity:a3", domain.Activity{ID: "a3", Station: "HX01", Title: "接待日",
			Starts: t0.Add(-time.Hour), Ends: t0.Add(time.Hour), SignUpCloses: t0.Add(time.Hour), Capacity: 2}),
		ref(domain.KindActivityUpserted, "activity:a9", domain.Activity{ID: "a9", Station: "HX01", Title: "议事会",
			Starts: t0.Add(7 * 24 * time.Hour), Ends: t0.Add(7*24*time.Hour + time.Hour)}),
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestBadgeIssueVerifyRevoke(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	importRefs(t, s)
	if _, err := s.IssueBadge(ctx, "nobody", time.Time{}); !errors.Is(err, store.ErrUnknownRep) {
		t.Fatalf("unknown rep: %v", err)
	}
	b, err := s.IssueBadge(ctx, "HX01-R01", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	b2, err := s.IssueBadge(ctx, "HX01-R01", t0.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if b.Serial != "B0001" || b2.Serial != "B0002" || b.RepName != "张三" {
		t.Fatalf("issued %+v %+v", b, b2)
	}
	pub := s.Keys().SignPublicKey()
	got, err := domain.VerifyBadge(b.Payload, pub, clk.Now(), nil)
	if err != nil || got.Rep != "HX01-R01" || got.Serial != "B0001" {
		t.Fatalf("verify issued badge: %+v %v", got, err)
	}
	ev, err := s.RevokeBadge(ctx, "B0001", "遗失", staffActor)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != domain.KindBadgeRevoked || ev.Stream != domain.BadgeRevokedStream("B0001") {
		t.Fatalf("revocation event %+v", ev)
	}
	if _, err := s.RevokeBadge(ctx, "B0001", "", staffActor); !errors.Is(err, store.ErrBadgeIsRevoked) {
		t.Fatalf("second revoke: %v", err)
	}
	if _, err := s.RevokeBadge(ctx, "B0404", "", staffActor); !errors.Is(err, store.ErrBadgeNotFound) {
		t.Fatalf("unknown revoke: %v", err)
	}
	// the revocation reaches a station's scope
	evs, err := s.EventsAfter(ctx, "HX01", 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range evs {
		found = found || e.Kind == domain.KindBadgeRevoked
	}
	if !found {
		t.Fatal("revocation not in the station's scope")
	}
	list, err := s.Badges(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("list %+v %v", list, err)
	}
	if list[0].Serial != "B0002" || list[0].Payload != b2.Payload || list[1].RevokedAt == nil || list[1].Payload != "" {
		t.Fatalf("list %+v", list)
	}
}

// pairKeyed enrols a kiosk of the station and returns its id and private key.
func pairKeyed(t testing.TB, s *Store, station string) (string, ed25519.PrivateKey) {
	t.Helper()
	d, priv := storetest.PairKeyed(t, s, station, store.RoleKiosk, "测试设备")
	return d.ID, priv
}

func TestPhoneCheckIn(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	addStation(t, s, "HX02")
	importRefs(t, s)
	dev, key := pairKeyed(t, s, "HX01")
	otherDev, otherKey := pairKeyed(t, s, "HX02")
	code := func(act, device string, k ed25519.PrivateKey, at time.Time) string {
		c, err := domain.SignCheckIn(domain.CheckInCode{Activity: act, Device: device, Window: domain.WindowOf(at)}, k)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	fresh := code("a3", dev, key, clk.Now())
	res, err := s.PhoneCheckIn(ctx, fresh, "138 0013 8000")
	if err != nil || res.Attended != 1 || res.Activity.ID != "a3" {
		t.Fatalf("first check-in: %+v %v", res, err)
	}
	tests := []struct {
		name  string
		code  string
		phone string
		want  error
	}{
		{"same code, same phone", fresh, "+86 13800138000", store.ErrAlreadyCheckedIn},
		{"two windows old", code("a3", dev, key, clk.Now().Add(-time.Minute)), "13900139000", domain.ErrCheckInStale},
		{"forged", code("a3", dev, otherKey, clk.Now()), "13900139000", domain.ErrCheckInForged},
		{"kiosk of another station", code("a3", otherDev, otherKey, clk.Now()), "13900139000", domain.ErrCheckInDevice},
		{"activity next week", code("a9", dev, key, clk.Now()), "13900139000", store.ErrActivityNotOpen},
		{"unknown activity", code("zz", dev, key, clk.Now()), "13900139000", store.ErrActivityNotFound},
		{"bad phone", fresh, "12345", store.ErrBadPhone},
	}
	for _, tc := range tests {
		if _, err := s.PhoneCheckIn(ctx, tc.code, tc.phone); !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
	res, err = s.PhoneCheckIn(ctx, fresh, "13900139000")
	if err != nil || res.Attended != 2 {
		t.Fatalf("second person: %+v %v", res, err)
	}
	if _, att, _ := s.ActivityCounts(ctx, "a3"); att != 2 {
		t.Fatalf("attended %d", att)
	}
	if s.PhonePerson("13800138000") == s.PhonePerson("13900139000") {
		t.Fatal("two phones, one person")
	}
}

func TestSignUpCapacityAndWaitlist(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	importRefs(t, s)
	f := &factMaker{Dev: pairDevice(t, s, "HX01", "kiosk"), At: t0}
	signUp := func(person string) domain.Event {
		person = rid(person)
		return f.Fact(t, "activity:a3", domain.KindActivitySignedUp,
			domain.Actor{Role: domain.RoleResident, ID: person},
			domain.ActivityCheckIn{ActivityID: "a3", PersonID: person, Via: "kiosk-card"})
	}
	facts := []domain.Event{signUp("p1"), signUp("p2"), signUp("p1"), signUp("p3")}
	if _, err := s.ApplyFacts(ctx, f.Dev.ID, facts); err != nil {
		t.Fatal(err)
	}
	evs, err := s.StreamEvents(ctx, "activity:a3")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	answers := 0
	for _, ev := range evs {
		if ev.Kind != domain.KindActivitySignUpStatus {
			continue
		}
		answers++
		var st domain.SignUpStatus
		if err := jsonUnmarshal(ev.Data, &st); err != nil {
			t.Fatal(err)
		}
		got[st.PersonID] = st.Status
	}
	want := map[string]string{rid("p1"): domain.SignUpConfirmed, rid("p2"): domain.SignUpConfirmed, rid("p3"): domain.SignUpWaitlisted}
	// the repeat is answered again with the place it holds
	if answers != 4 || len(got) != 3 || got[rid("p1")] != want[rid("p1")] || got[rid("p2")] != want[rid("p2")] || got[rid("p3")] != want[rid("p3")] {
		t.Fatalf("answers %d: %v", answers, got)
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// rid is a resident id for a short test name such as "p1".
func rid(name string) string { return "R-" + strings.Repeat("0", 19) + name[len(name)-1:] }

func TestDutySignsMarkDuplicates(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	k1 := &factMaker{Dev: pairDevice(t, s, "HX01", "kiosk"), At: t0}
	k2 := &factMaker{Dev: pairDevice(t, s, "HX01", "kiosk"), At: t0.Add(30 * time.Second)}
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "HX01-R01", Name: "张三"}
	sign := func(f *factMaker, k domain.Kind, nonce string) domain.Event {
		return f.Fact(t, "duty:HX01:HX01-R01", k, rep, domain.DutySign{RepID: "HX01-R01", RepName: "张三", Badge: "B0001", Nonce: nonce})
	}
	// 10:01 sign-in at K1, 10:01:30 sign-in at K2 (offline, uploaded later), 10:02 sign-out at K1
	if _, err := s.ApplyFacts(ctx, k1.Dev.ID, []domain.Event{sign(k1, domain.KindDutySignedIn, "a"), sign(k1, domain.KindDutySignedOut, "b")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyFacts(ctx, k2.Dev.ID, []domain.Event{sign(k2, domain.KindDutySignedIn, "c")}); err != nil {
		t.Fatal(err)
	}
	got, err := s.DutySigns(ctx, "HX01", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got[0].In || !got[1].In || got[2].In || got[0].Duplicate || !got[1].Duplicate || got[2].Duplicate {
		t.Fatalf("duty signs %+v", got)
	}
	if other, _ := s.DutySigns(ctx, "HX01", "2026-11-24"); len(other) != 0 {
		t.Fatalf("next day %+v", other)
	}
	if _, err := s.DutySigns(ctx, "HX01", "23.11.2026"); err == nil {
		t.Fatal("bad day accepted")
	}
}
