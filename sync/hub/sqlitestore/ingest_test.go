package sqlitestore

import (
	"context"
	"encoding/json"
	"errors"
	"liaison/internal/clocktest"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// applyOrRefuse uploads facts as the endpoint does: applied up to an invalid fact, which is
// set aside with its code, and the rest uploaded after it. It returns the refusal codes.
func applyOrRefuse(t *testing.T, s *Store, dev string, facts []domain.Event) []domain.FactCode {
	t.Helper()
	ctx := context.Background()
	var codes []domain.FactCode
	for range len(facts) + 1 {
		res, err := s.ApplyFacts(ctx, dev, facts)
		if err == nil {
			return codes
		}
		if !errors.Is(err, ErrInvalidFact) {
			t.Fatalf("apply: %v", err)
		}
		code := domain.RefusalCode(err)
		if code == "" {
			t.Fatalf("refusal without a code: %v", err)
		}
		codes = append(codes, code)
		for _, f := range facts {
			if f.DevSeq == res.LastDevSeq+1 {
				if _, err := s.RefuseFact(ctx, dev, f, code, err.Error()); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	t.Fatal("refusals do not move the device on")
	return nil
}

// Attacks on ingest from a kiosk whose key was taken: each is refused with its code and set
// aside, the facts after it still apply, every view the hub serves still answers, the chain
// verifies, and nothing is stored twice.
func TestIngestRefusesAttacksAndKeepsServing(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	addStation(t, s, "HX02")
	importRefs(t, s)
	if _, err := s.Import(ctx, "hx02-activity", []domain.Event{{Station: "HX02", Stream: "activity:b1",
		Kind: domain.KindActivityUpserted, At: t0, Actor: domain.Actor{Role: domain.RoleSystem},
		Data: mustJSON(t, domain.Activity{ID: "b1", Station: "HX02", Title: "外站活动"})}}); err != nil {
		t.Fatal(err)
	}
	k1 := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	k2 := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	other := &factMaker{Dev: pairDevice(t, s, "HX02", store.RoleKiosk), At: t0}
	wall := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleWall), At: t0}

	resident := domain.Actor{Role: domain.RoleResident, ID: res1}
	mark := func(f *factMaker, kind domain.Kind, activity string, data any) domain.Event {
		return f.Fact(t, "activity:"+activity, kind, resident, data)
	}
	signUp := func(activity string) domain.ActivityCheckIn {
		return domain.ActivityCheckIn{ActivityID: activity, PersonID: res1, Via: domain.ViaKioskCard}
	}
	first := k1.Submission(t, "case-a", "A")
	deep := mark(k1, domain.KindActivitySignedUp, "a3", nil)
	deep.Data = json.RawMessage(`{"activity_id":"a3","person_id":"` + res1 + `","via":"kiosk-card","nonce":` +
		strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + `}`)
	badText := k1.Submission(t, "case-b", "B")
	badText.Data = json.RawMessage(strings.Replace(string(badText.Data), "楼下", "\xff\xfe", 1))
	reused := k1.Submission(t, "case-c", "A") // the number of case-a again, for another case
	resubmit := k1.Submission(t, "case-a", "D")
	outcome := mark(k1, domain.KindActivitySignUpStatus, "a3", domain.SignUpStatus{ActivityID: "a3",
		PersonID: res1, Status: domain.SignUpConfirmed, Position: 1})
	asserted := mark(k1, domain.KindActivitySignedUp, "a3", nil)
	asserted.Data = json.RawMessage(`{"activity_id":"a3","person_id":"` + res1 + `","via":"kiosk-card","nonce":"","status":"confirmed"}`)
	foreignActivity := mark(k1, domain.KindActivitySignedUp, "b1", signUp("b1"))
	unknownActivity := mark(k1, domain.KindActivitySignedUp, "zz", signUp("zz"))
	coHandler := k1.Fact(t, "case-a", domain.KindCaseCoHandler, domain.Actor{Role: domain.RoleSystem, ID: "hub"},
		domain.CaseCoHandler{RepID: "rep-x"})
	farFuture := k1.Submission(t, "case-f", "F")
	farFuture.At = t0.Add(72 * time.Hour)
	last := mark(k1, domain.KindActivitySignedUp, "a3", signUp("a3"))
	facts := []domain.Event{first, deep, badText, reused, resubmit, outcome, asserted, foreignActivity,
		unknownActivity, coHandler, farFuture, last}
	got := applyOrRefuse(t, s, k1.Dev.ID, facts)
	want := []domain.FactCode{domain.CodeTooDeep, domain.CodeBadText, domain.CodeCaseExists, domain.CodeCaseExists,
		domain.CodeHubOnly, domain.CodeSchema, domain.CodeForeign, domain.CodeForeign, domain.CodeHubOnly, domain.CodeBadTime}
	if strings.Join(codes(got), " ") != strings.Join(codes(want), " ") {
		t.Fatalf("refusal codes %v, want %v", got, want)
	}

	// Another kiosk of the station cannot take a number of this kiosk's prefix, and a kiosk of
	// another station cannot touch this station's case; a wall records nothing.
	theft := k2.Submission(t, "case-k2", "X")
	theft.Data = mustJSON(t, domain.CaseSubmitted{Number: num(k1.Dev, "Z"), Token: domain.NewToken(), Category: "env", Text: "冒用编号"})
	if got := applyOrRefuse(t, s, k2.Dev.ID, []domain.Event{theft}); len(got) != 1 || got[0] != domain.CodeScope {
		t.Fatalf("another kiosk's number: %v", got)
	}
	foreignClaim := other.Claim(t, "case-a", "rep-x", "王五")
	if got := applyOrRefuse(t, s, other.Dev.ID, []domain.Event{foreignClaim}); len(got) != 1 || got[0] != domain.CodeForeign {
		t.Fatalf("another station's case: %v", got)
	}
	beat := wall.Submission(t, "case-w", "W")
	if got := applyOrRefuse(t, s, wall.Dev.ID, []domain.Event{beat}); len(got) != 1 || got[0] != domain.CodeDeviceRole {
		t.Fatalf("a wall's fact: %v", got)
	}

	// What was admitted is served: counts (json functions over the log), lists, pages, chain.
	signedUp, _, err := s.ActivityCounts(ctx, "a3")
	if err != nil || signedUp != 1 {
		t.Fatalf("activity counts: %d, %v", signedUp, err)
	}
	if cs, err := s.Cases(ctx, store.CaseFilter{Station: "HX01"}); err != nil || len(cs) != 1 {
		t.Fatalf("cases: %d, %v", len(cs), err)
	}
	if c, err := s.CaseByNumber(ctx, num(k1.Dev, "A")); err != nil || c.ID != cid("case-a") {
		t.Fatalf("number re-pointed: %+v, %v", c, err)
	}
	if _, err := s.EventsAfter(ctx, "HX01", 0, 2000); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RebuildProjections(ctx); err != nil {
		t.Fatal(err)
	}
	// The quarantine holds every refusal once, with its code; the log holds none of them.
	q, err := s.RefusedFacts(ctx, "")
	if err != nil || len(q) != len(want)+3 {
		t.Fatalf("quarantine: %d rows, %v", len(q), err)
	}
	for _, r := range q {
		if r.Code == "" {
			t.Errorf("quarantined %s/%d without a code", r.Device, r.DevSeq)
		}
		if evs, _ := s.StreamEvents(ctx, r.Fact.Stream); containsID(evs, r.Fact.ID) {
			t.Errorf("refused fact %s is in the log", r.Fact.ID)
		}
	}
	// A replay of the whole upload changes nothing.
	before, _ := s.LastSeq(ctx)
	if res, err := s.ApplyFacts(ctx, k1.Dev.ID, facts); err != nil || res.Applied != 0 || res.Duplicates != len(facts) {
		t.Fatalf("replay: %+v, %v", res, err)
	}
	if after, _ := s.LastSeq(ctx); after != before {
		t.Fatalf("replay appended %d events", after-before)
	}
}

func codes(cs []domain.FactCode) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func containsID(evs []domain.Event, id string) bool {
	for _, e := range evs {
		if e.ID == id {
			return true
		}
	}
	return false
}

// A device that sends nothing but refused facts cannot fill the hub's disk: beyond the bound
// the quarantine keeps each refusal without its payload.
func TestQuarantineKeepsBoundedBodies(t *testing.T) {
	t.Parallel()
	clk := clocktest.New(t0)
	s, err := Open(context.Background(), t.TempDir(), Options{Now: clk.Now, MaxQuarantined: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	addStation(t, s, "HX01")
	f := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	var facts []domain.Event
	for range 5 {
		ev := f.Submission(t, "case-q", "Q")
		ev.Data = json.RawMessage(`{"text":"` + strings.Repeat("长", 3000) + `"}`)
		facts = append(facts, ev)
	}
	if got := applyOrRefuse(t, s, f.Dev.ID, facts); len(got) != 5 {
		t.Fatalf("refusals %v", got)
	}
	q, err := s.RefusedFacts(context.Background(), f.Dev.ID)
	if err != nil || len(q) != 5 {
		t.Fatalf("quarantine %d, %v", len(q), err)
	}
	for i, r := range q {
		whole := len(r.Fact.Data) > 3000
		if whole != (i < 3) {
			t.Errorf("refusal %d kept %d bytes of payload", i, len(r.Fact.Data))
		}
	}
}
