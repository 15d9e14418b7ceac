package sqlitestore

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 10:00 in the stations' zone

func open(t testing.TB, dir string, clk *clocktest.Clock) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, Options{Now: clk.Now})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return s
}

func newStore(t testing.TB) (*Store, *clocktest.Clock) {
	t.Helper()
	clk := clocktest.New(t0)
	s := open(t, t.TempDir(), clk)
	t.Cleanup(func() { s.Close() })
	return s, clk
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// addStation records a station so devices can be paired to it.
func addStation(t testing.TB, s *Store, code string) {
	t.Helper()
	_, err := s.UpsertStation(context.Background(), domain.Station{Code: code, Name: "测试联络站" + code,
		Communities: []string{"测试社区"}}, domain.Actor{Role: domain.RoleStaff, Name: "测试"})
	if err != nil {
		t.Fatal(err)
	}
}

// pairDevice enrols a device of the station and returns it.
func pairDevice(t testing.TB, s *Store, station, role string) store.DeviceInfo {
	t.Helper()
	ctx := context.Background()
	pc, err := s.CreatePairingCode(ctx, station, role, "测试设备")
	if err != nil {
		t.Fatal(err)
	}
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Pair(ctx, pc.Code, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The tests build device facts as the contract suite does, valid as a kiosk records them.
type factMaker = storetest.Facts

// res1 is the resident of the tests' submissions.
const res1 = storetest.Resident

var (
	cid = storetest.CaseID     // the case id (a UUID) of a case named by a label
	num = storetest.CaseNumber // a device's case number for a label
)

func TestOpenKeepsKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clk := clocktest.New(t0)
	s := open(t, dir, clk)
	sign, boxKey := s.Keys().SignPublicKey(), s.Keys().BoxPublicKey()
	addStation(t, s, "HX01")
	s.Close()
	for _, f := range []string{SignKeyFile, BoxKeyFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", f, st.Mode().Perm())
		}
	}
	s = open(t, dir, clk)
	defer s.Close()
	if !s.Keys().SignPublicKey().Equal(sign) || s.Keys().BoxPublicKey() != boxKey {
		t.Error("keys changed on reopen")
	}
}

func TestOpenRefusesMissingDir(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing"), Options{})
	if err == nil {
		t.Fatal("opened a store in a missing directory")
	}
}

func TestSealedRoundTrip(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	pub := s.Keys().BoxPublicKey()
	sealed, err := sealAnonymous([]byte("11010519491231002X"), &pub)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Keys().OpenSealed(sealed)
	if err != nil || string(got) != "11010519491231002X" {
		t.Fatalf("open sealed: %q, %v", got, err)
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := s.Keys().OpenSealed(sealed); !errors.Is(err, ErrSealed) {
		t.Fatalf("tampered box: %v, want ErrSealed", err)
	}
	msg := []byte("badge")
	if !ed25519.Verify(s.Keys().SignPublicKey(), msg, s.Keys().Sign(msg)) {
		t.Fatal("signature does not verify with the published key")
	}
}

func TestApplyFactsExactlyOnce(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	f := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	evs := []domain.Event{f.Submission(t, cid("case-1"), "HX01-K1-20261123-0001"),
		f.Fact(t, "duty:HX01:rep-a", domain.KindDutySignedIn, domain.Actor{Role: domain.RoleRepresentative, ID: "rep-a"},
			domain.DutySign{RepID: "rep-a", RepName: "张三", Nonce: "0a"}),
		f.Submission(t, cid("case-2"), "HX01-K1-20261123-0002")}
	base, _ := s.LastSeq(ctx)

	cases := []struct {
		name    string
		facts   []domain.Event
		want    store.ApplyResult
		wantErr error
	}{
		{"first two", evs[:2], store.ApplyResult{Applied: 2, LastDevSeq: 2, LastSeq: base + 2}, nil},
		{"replay with one new", evs, store.ApplyResult{Applied: 1, Duplicates: 2, LastDevSeq: 3, LastSeq: base + 3}, nil},
		{"all duplicates", evs, store.ApplyResult{Duplicates: 3, LastDevSeq: 3, LastSeq: base + 3}, nil},
	}
	for _, tc := range cases {
		got, err := s.ApplyFacts(ctx, f.Dev.ID, tc.facts)
		if !errors.Is(err, tc.wantErr) || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v, %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
	gap := f.Submission(t, cid("case-3"), "x")
	gap.DevSeq = 6
	got, err := s.ApplyFacts(ctx, f.Dev.ID, []domain.Event{gap})
	if !errors.Is(err, store.ErrSequenceGap) || got.Applied != 0 || got.LastDevSeq != 3 {
		t.Fatalf("gap: %+v, %v", got, err)
	}
	if n, _ := s.LastDevSeq(ctx, f.Dev.ID); n != 3 {
		t.Fatalf("last dev seq %d after a gap, want 3", n)
	}
	c, err := s.CaseByNumber(ctx, "HX01-K1-20261123-0002")
	if err != nil || c.State != domain.StateSubmitted || c.ID != cid("case-2") {
		t.Fatalf("projection: %+v, %v", c, err)
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestApplyFactsRefusesInvalid(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	addStation(t, s, "HX02")
	dev := pairDevice(t, s, "HX01", store.RoleKiosk)
	cases := []struct {
		name   string
		mutate func(*domain.Event)
	}{
		{"other device", func(e *domain.Event) { e.Device = "someone-else" }},
		{"other station", func(e *domain.Event) { e.Station = "HX02" }},
		{"reference data", func(e *domain.Event) { e.Kind = domain.KindCategoryUpserted }},
		{"no id", func(e *domain.Event) { e.ID = "" }},
		{"staff role", func(e *domain.Event) { e.Actor.Role = domain.RoleStaff }},
		{"system role", func(e *domain.Event) { e.Actor = domain.Actor{Role: domain.RoleSystem, ID: domain.HubDevice} }},
		{"payload not JSON", func(e *domain.Event) { e.Data = []byte("{not json") }},
	}
	for _, tc := range cases {
		f := &factMaker{Dev: dev, At: t0}
		ev := f.Submission(t, cid("case-x"), "n")
		tc.mutate(&ev)
		before, _ := s.LastSeq(ctx)
		res, err := s.ApplyFacts(ctx, dev.ID, []domain.Event{ev})
		after, _ := s.LastSeq(ctx)
		if !errors.Is(err, ErrInvalidFact) || res.Applied != 0 || after != before {
			t.Errorf("%s: %+v, %v, log %d -> %d", tc.name, res, err, before, after)
		}
	}
	// A kiosk of HX02 acting on a case of HX01, and an event id used twice: the good fact
	// before them is kept, nothing from them on.
	other := &factMaker{Dev: pairDevice(t, s, "HX02", store.RoleKiosk), At: t0}
	own := &factMaker{Dev: dev, At: t0}
	sub := own.Submission(t, cid("case-hx01"), "HX01-K1-1")
	if _, err := s.ApplyFacts(ctx, dev.ID, []domain.Event{sub}); err != nil {
		t.Fatal(err)
	}
	good := other.Submission(t, cid("case-hx02"), "HX02-K1-1")
	foreign := other.Claim(t, cid("case-hx01"), "rep-x", "王五")
	res, err := s.ApplyFacts(ctx, other.Dev.ID, []domain.Event{good, foreign})
	if !errors.Is(err, ErrInvalidFact) || res.Applied != 1 || res.LastDevSeq != 1 {
		t.Errorf("foreign case: %+v, %v", res, err)
	}
	reused := other.Submission(t, cid("case-hx02b"), "HX02-K1-2")
	reused.ID = sub.ID
	other.Seq = 1
	reused.DevSeq = 2
	if res, err := s.ApplyFacts(ctx, other.Dev.ID, []domain.Event{reused}); !errors.Is(err, ErrInvalidFact) || res.Applied != 0 {
		t.Errorf("reused id: %+v, %v", res, err)
	}
	if _, err := s.ApplyFacts(ctx, "nobody", nil); !errors.Is(err, store.ErrUnknownDevice) {
		t.Errorf("unknown device: %v", err)
	}
	if err := s.RevokeDevice(ctx, dev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyFacts(ctx, dev.ID, nil); !errors.Is(err, store.ErrRevoked) {
		t.Errorf("revoked device: %v", err)
	}
}

func TestConcurrentClaimsBecomeCoHandler(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	k1 := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	k2 := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	if k1.Dev.Code != "K1" || k2.Dev.Code != "K2" {
		t.Fatalf("device codes %s, %s", k1.Dev.Code, k2.Dev.Code)
	}
	if _, err := s.ApplyFacts(ctx, k1.Dev.ID, []domain.Event{k1.Submission(t, cid("case-1"), "N1")}); err != nil {
		t.Fatal(err)
	}
	// Both kiosks were offline when their representative claimed the case.
	c1 := k1.Claim(t, cid("case-1"), "rep-a", "张三")
	c2 := k2.Claim(t, cid("case-1"), "rep-b", "李四")
	if _, err := s.ApplyFacts(ctx, k2.Dev.ID, []domain.Event{c2}); err != nil {
		t.Fatal(err)
	}
	res, err := s.ApplyFacts(ctx, k1.Dev.ID, []domain.Event{c1})
	if err != nil || res.Applied != 1 {
		t.Fatalf("late claim: %+v, %v", res, err)
	}
	c, err := s.Case(ctx, cid("case-1"))
	if err != nil {
		t.Fatal(err)
	}
	if c.RepID != "rep-b" || len(c.CoHandlers) != 1 || c.CoHandlers[0].RepID != "rep-a" {
		t.Fatalf("case after concurrent claims: rep %s, co-handlers %+v", c.RepID, c.CoHandlers)
	}
	evs, err := s.StreamEvents(ctx, cid("case-1"))
	if err != nil {
		t.Fatal(err)
	}
	last := evs[len(evs)-1]
	if last.Kind != domain.KindCaseCoHandler || last.Device != domain.HubDevice || last.HubSeq != res.LastSeq {
		t.Fatalf("last event %s from %s at %d, want hub co-handler at %d", last.Kind, last.Device, last.HubSeq, res.LastSeq)
	}
	// The projection equals a fresh fold of the log, as stations will compute it.
	folded, _ := domain.Fold(evs, domain.DefaultRules())
	if folded.RepID != c.RepID || len(folded.CoHandlers) != len(c.CoHandlers) || folded.Version != c.Version {
		t.Fatalf("fold %+v differs from projection %+v", folded, c)
	}
	// The same representative claiming twice is not a conflict to resolve.
	again := k2.Claim(t, cid("case-1"), "rep-b", "李四")
	before, _ := s.LastSeq(ctx)
	if _, err := s.ApplyFacts(ctx, k2.Dev.ID, []domain.Event{again}); err != nil {
		t.Fatal(err)
	}
	if after, _ := s.LastSeq(ctx); after != before+1 {
		t.Fatalf("repeat claim appended %d events, want 1", after-before)
	}
}

func TestActIsStrict(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	k1 := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	if _, err := s.ApplyFacts(ctx, k1.Dev.ID, []domain.Event{k1.Submission(t, cid("case-1"), "N1")}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	staff := domain.Actor{Role: domain.RoleStaff, ID: "staff-1", Name: "测试"}
	before, _ := s.LastSeq(ctx)
	_, err := s.Act(ctx, cid("case-1"), domain.KindCaseReplied, domain.Actor{Role: domain.RoleResident, ID: res1},
		domain.CaseReplied{Reply: "x"})
	var te *domain.TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("illegal act: %v, want a TransitionError", err)
	}
	if after, _ := s.LastSeq(ctx); after != before {
		t.Fatal("a refused action appended to the log")
	}
	steps := []struct {
		kind    domain.Kind
		actor   domain.Actor
		payload any
		state   domain.State
	}{
		{domain.KindCaseAccepted, staff, domain.CaseAccepted{RepID: "rep-a", RepName: "张三"}, domain.StateAccepted},
		{domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: "JD-CG", DeptName: "街道城管科"}, domain.StateAssigned},
		{domain.KindCaseProgress, domain.Actor{Role: domain.RoleDepartment, ID: "JD-CG"}, domain.CaseNote{Note: "已派人"}, domain.StateInProgress},
		{domain.KindCaseReplied, staff, domain.CaseReplied{Reply: "已清运"}, domain.StateReplied},
	}
	for _, st := range steps {
		ev, err := s.Act(ctx, cid("case-1"), st.kind, st.actor, st.payload)
		if err != nil {
			t.Fatalf("%s: %v", st.kind, err)
		}
		if ev.Device != domain.HubDevice || ev.HubSeq == 0 || ev.Station != "HX01" {
			t.Fatalf("%s: stored as %+v", st.kind, ev)
		}
		c, _ := s.Case(ctx, cid("case-1"))
		if c.State != st.state {
			t.Fatalf("after %s: state %s, want %s", st.kind, c.State, st.state)
		}
	}
	if _, err := s.Act(ctx, "no-such-case", domain.KindCaseSupervised, staff, domain.CaseNote{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown case: %v", err)
	}
	// The rating window passes without a rating: the hub closes the case itself.
	if n, err := s.CloseUnrated(ctx); err != nil || n != 0 {
		t.Fatalf("close unrated early: %d, %v", n, err)
	}
	clk.Advance(domain.DefaultRatingWindow + time.Minute)
	if n, err := s.CloseUnrated(ctx); err != nil || n != 1 {
		t.Fatalf("close unrated: %d, %v", n, err)
	}
	c, _ := s.Case(ctx, cid("case-1"))
	if c.State != domain.StateClosed || !c.ClosedUnrated {
		t.Fatalf("after the rating window: %s unrated=%v", c.State, c.ClosedUnrated)
	}
}

func TestEventsAfterScope(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	addStation(t, s, "HX02")
	global := domain.Event{Stream: "category:env", Kind: domain.KindCategoryUpserted, At: t0,
		Actor: domain.Actor{Role: domain.RoleSystem}, Data: mustJSON(t, domain.Category{Code: "env", Name: "环境卫生"})}
	if ok, err := s.Import(ctx, "cats", []domain.Event{global}); err != nil || !ok {
		t.Fatal(ok, err)
	}
	a := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	b := &factMaker{Dev: pairDevice(t, s, "HX02", store.RoleKiosk), At: t0}
	if a.Dev.Code != "K1" || b.Dev.Code != "K1" {
		t.Fatalf("codes are per station: %s, %s", a.Dev.Code, b.Dev.Code)
	}
	for i := range 3 {
		if _, err := s.ApplyFacts(ctx, a.Dev.ID, []domain.Event{a.Submission(t, fmt.Sprintf("a%d", i), fmt.Sprintf("A%d", i))}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApplyFacts(ctx, b.Dev.ID, []domain.Event{b.Submission(t, fmt.Sprintf("b%d", i), fmt.Sprintf("B%d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.EventsAfter(ctx, "HX01", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	// HX01's station event, the global category, three submissions.
	if len(all) != 5 {
		t.Fatalf("%d events in HX01's scope, want 5", len(all))
	}
	for i, ev := range all {
		if ev.Station != "HX01" && ev.Station != "" {
			t.Errorf("event of station %q leaked into HX01's scope", ev.Station)
		}
		if i > 0 && ev.HubSeq <= all[i-1].HubSeq {
			t.Errorf("events not ascending at %d", i)
		}
	}
	page, err := s.EventsAfter(ctx, "HX01", all[1].HubSeq, 2)
	if err != nil || len(page) != 2 || page[0].HubSeq != all[2].HubSeq {
		t.Fatalf("page after %d: %d events, %v", all[1].HubSeq, len(page), err)
	}
}

func TestSubscribeSeesAppends(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ch, cancel := s.Subscribe()
	defer cancel()
	addStation(t, s, "HX01")
	want, _ := s.LastSeq(context.Background())
	select {
	case got := <-ch:
		if got != want {
			t.Fatalf("notified %d, want %d", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notification after an append")
	}
	cancel()
	if _, ok := <-ch; ok {
		t.Fatal("channel open after cancel")
	}
}

func TestHeartbeat(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	d := pairDevice(t, s, "HX01", store.RoleWall)
	if d.Code != "W1" {
		t.Fatalf("wall code %s", d.Code)
	}
	clk.Advance(time.Minute)
	if err := s.RecordHeartbeat(ctx, d.ID, []byte(`{"outbox":0}`)); err != nil {
		t.Fatal(err)
	}
	h, at, err := s.Heartbeat(ctx, d.ID)
	if err != nil || string(h) != `{"outbox":0}` || !at.Equal(clk.Now()) {
		t.Fatalf("heartbeat %s at %v, %v", h, at, err)
	}
	devs, err := s.Devices(ctx)
	if err != nil || len(devs) != 1 || !devs[0].LastSeen.Equal(clk.Now()) {
		t.Fatalf("devices %+v, %v", devs, err)
	}
}
