package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

func testApplyExactlyOnce(t *testing.T, e *env) {
	e.addStation("HX01")
	f := e.kiosk("HX01")
	evs := []domain.Event{f.Submission(t, "case-1", "HX01-K1-20261123-0001"),
		f.Fact(t, "duty:HX01:rep-a", domain.KindDutySignedIn, domain.Actor{Role: domain.RoleRepresentative, ID: "rep-a", Name: "张三"},
			domain.DutySign{RepID: "rep-a", RepName: "张三", Nonce: "0a"}),
		f.Submission(t, "case-2", "HX01-K1-20261123-0002")}
	base := e.lastSeq()
	for _, tc := range []struct {
		name  string
		facts []domain.Event
		want  store.ApplyResult
	}{
		{"first two", evs[:2], store.ApplyResult{Applied: 2, LastDevSeq: 2, LastSeq: base + 2}},
		{"replay with one new", evs, store.ApplyResult{Applied: 1, Duplicates: 2, LastDevSeq: 3, LastSeq: base + 3}},
		{"all duplicates", evs, store.ApplyResult{Duplicates: 3, LastDevSeq: 3, LastSeq: base + 3}},
		{"nothing", nil, store.ApplyResult{LastDevSeq: 3, LastSeq: base + 3}},
	} {
		got, err := e.s.ApplyFacts(e.ctx, f.Dev.ID, tc.facts)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
	// A gap after a good fact: the good one is applied and reported, nothing from the gap on.
	next := f.Submission(t, "case-3", "HX01-K1-20261123-0003")
	f.Seq += 2
	gap := f.Submission(t, "case-4", "HX01-K1-20261123-0004")
	got, err := e.s.ApplyFacts(e.ctx, f.Dev.ID, []domain.Event{next, gap})
	if want := (store.ApplyResult{Applied: 1, LastDevSeq: 4, LastSeq: base + 4}); !errors.Is(err, store.ErrSequenceGap) || got != want {
		t.Fatalf("gap: %+v, %v; want %+v, ErrSequenceGap", got, err, want)
	}
	if n, err := e.s.LastDevSeq(e.ctx, f.Dev.ID); n != 4 || err != nil {
		t.Fatalf("last dev seq %d, %v after a gap, want 4", n, err)
	}
	// The gap alone: nothing applied, the device's sequence stays.
	got, err = e.s.ApplyFacts(e.ctx, f.Dev.ID, []domain.Event{gap})
	if want := (store.ApplyResult{LastDevSeq: 4, LastSeq: base + 4}); !errors.Is(err, store.ErrSequenceGap) || got != want {
		t.Fatalf("gap alone: %+v, %v; want %+v, ErrSequenceGap", got, err, want)
	}
	if n, err := e.s.LastDevSeq(e.ctx, "never-uploaded"); n != 0 || err != nil {
		t.Fatalf("last dev seq of a device without uploads: %d, %v", n, err)
	}
	c, err := e.s.CaseByNumber(e.ctx, "HX01-K1-20261123-0003")
	if err != nil || c.State != domain.StateSubmitted || c.ID != CaseID("case-3") {
		t.Fatalf("projection of the fact before the gap: %+v, %v", c, err)
	}
	if _, err := e.s.CaseByNumber(e.ctx, "HX01-K1-20261123-0004"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("the fact after the gap was projected: %v", err)
	}
	// Exactly once survives a restart.
	e.reopen()
	got, err = e.s.ApplyFacts(e.ctx, f.Dev.ID, append(evs, next))
	if want := (store.ApplyResult{Duplicates: 4, LastDevSeq: 4, LastSeq: base + 4}); err != nil || got != want {
		t.Fatalf("replay after reopen: %+v, %v; want %+v", got, err, want)
	}
	e.checkLog("HX01")
}

func testApplyRefusesInvalid(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	dev := e.pair("HX01", store.RoleKiosk)
	// Each fact is a valid submission spoilt in one way, refused for that reason.
	for _, tc := range []struct {
		name   string
		mutate func(*domain.Event)
		code   domain.FactCode
	}{
		{"other device", func(ev *domain.Event) { ev.Device = "someone-else" }, domain.CodeWrongDevice},
		{"other station", func(ev *domain.Event) { ev.Station = "HX02" }, domain.CodeScope},
		{"reference data", func(ev *domain.Event) { ev.Kind = domain.KindCategoryUpserted }, domain.CodeHubOnly},
		{"no id", func(ev *domain.Event) { ev.ID = "" }, domain.CodeBadID},
		{"staff role", func(ev *domain.Event) { ev.Actor.Role = domain.RoleStaff }, domain.CodeActorRole},
		{"system role", func(ev *domain.Event) { ev.Actor = domain.Actor{Role: domain.RoleSystem, ID: domain.HubDevice} }, domain.CodeActorRole},
		{"payload not JSON", func(ev *domain.Event) { ev.Data = []byte("{not json") }, domain.CodeSchema},
	} {
		f := &Facts{Dev: dev, At: t0}
		ev := f.Submission(t, "case-x", "n")
		tc.mutate(&ev)
		before := e.lastSeq()
		res, err := e.s.ApplyFacts(e.ctx, dev.ID, []domain.Event{ev})
		if !errors.Is(err, store.ErrInvalidFact) || res.Applied != 0 || res.LastDevSeq != 0 || e.lastSeq() != before {
			t.Errorf("%s: %+v, %v, log %d -> %d; want ErrInvalidFact and nothing applied", tc.name, res, err, before, e.lastSeq())
		}
		if got := domain.RefusalCode(err); got != tc.code {
			t.Errorf("%s: refused as %q (%v), want %q", tc.name, got, err, tc.code)
		}
	}
	// A kiosk of HX02 acting on a case of HX01, and an event id used twice: the good fact
	// before them is kept, nothing from them on.
	own := &Facts{Dev: dev, At: t0}
	sub := own.Submission(t, "case-hx01", "HX01-K1-1")
	e.apply(own, sub)
	other := e.kiosk("HX02")
	good := other.Submission(t, "case-hx02", "HX02-K1-1")
	foreign := other.Claim(t, "case-hx01", "rep-x", "王五")
	after := other.Submission(t, "case-hx02c", "HX02-K1-20261123-0003")
	res, err := e.s.ApplyFacts(e.ctx, other.Dev.ID, []domain.Event{good, foreign, after})
	if !errors.Is(err, store.ErrInvalidFact) || res.Applied != 1 || res.LastDevSeq != 1 || domain.RefusalCode(err) != domain.CodeForeign {
		t.Errorf("foreign case: %+v, %v; want ErrInvalidFact (foreign) after 1", res, err)
	}
	if _, err := e.s.CaseByNumber(e.ctx, "HX02-K1-20261123-0003"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a fact after the invalid one was applied: %v", err)
	}
	reused := other.Submission(t, "case-hx02b", "HX02-K1-2")
	reused.ID = sub.ID
	reused.DevSeq = 2
	if res, err := e.s.ApplyFacts(e.ctx, other.Dev.ID, []domain.Event{reused}); !errors.Is(err, store.ErrInvalidFact) || res.Applied != 0 ||
		domain.RefusalCode(err) != domain.CodeDuplicateID {
		t.Errorf("reused id: %+v, %v; want ErrInvalidFact (duplicate id)", res, err)
	}
	if c, err := e.s.Case(e.ctx, CaseID("case-hx01")); err != nil || c.RepID != "" {
		t.Errorf("the foreign claim changed the case: %+v, %v", c, err)
	}
	e.checkLog("HX01", "HX02")
}

// A refused fact is set aside and the device's sequence moves past it, so the facts after it
// apply; the log never holds it, and the refusal survives a restart.
func testRefuseFact(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	f := e.kiosk("HX01")
	dev := f.Dev
	first := f.Submission(t, "case-1", "HX01-K1-1")
	bad := f.Submission(t, "case-2", "HX01-K1-2")
	bad.Station = "HX02"
	notJSON := f.Submission(t, "case-3", "HX01-K1-3")
	notJSON.Data = []byte("{not json")
	last := f.Submission(t, "case-4", "HX01-K1-4")
	all := []domain.Event{first, bad, notJSON, last}

	res, err := e.s.ApplyFacts(e.ctx, dev.ID, all)
	if !errors.Is(err, store.ErrInvalidFact) || res.Applied != 1 || res.LastDevSeq != 1 || domain.RefusalCode(err) != domain.CodeScope {
		t.Fatalf("apply: %+v, %v; want ErrInvalidFact (scope) after 1", res, err)
	}
	logBefore := e.lastSeq()
	for _, tc := range []struct {
		name    string
		fact    domain.Event
		want    store.ApplyResult
		wantErr error
	}{
		{"ahead of the device", notJSON, store.ApplyResult{LastDevSeq: 1, LastSeq: logBefore}, store.ErrSequenceGap},
		{"next fact", bad, store.ApplyResult{LastDevSeq: 2, LastSeq: logBefore}, nil},
		{"again", bad, store.ApplyResult{Duplicates: 1, LastDevSeq: 2, LastSeq: logBefore}, nil},
	} {
		got, err := e.s.RefuseFact(e.ctx, dev.ID, tc.fact, domain.CodeScope, "station HX02 is not the device's")
		if !errors.Is(err, tc.wantErr) || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v, %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
	res, err = e.s.ApplyFacts(e.ctx, dev.ID, all)
	if !errors.Is(err, store.ErrInvalidFact) || res.Duplicates != 2 || res.LastDevSeq != 2 {
		t.Fatalf("apply after the first refusal: %+v, %v", res, err)
	}
	if _, err := e.s.RefuseFact(e.ctx, dev.ID, notJSON, domain.CodeSchema, "payload is not JSON"); err != nil {
		t.Fatal(err)
	}
	res, err = e.s.ApplyFacts(e.ctx, dev.ID, all)
	if err != nil || res.Applied != 1 || res.Duplicates != 3 || res.LastDevSeq != 4 {
		t.Fatalf("apply after the refusals: %+v, %v", res, err)
	}
	for _, ev := range e.checkLog("HX01", "HX02") {
		if ev.ID == bad.ID || ev.ID == notJSON.ID {
			t.Fatalf("refused fact %s is in the log", ev.ID)
		}
	}

	e.reopen()
	got, err := e.s.RefusedFacts(e.ctx, dev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].DevSeq != 2 || got[0].Fact.ID != bad.ID || got[0].Fact.Station != "HX02" ||
		got[1].DevSeq != 3 || got[1].Fact.ID != notJSON.ID || got[1].Reason != "payload is not JSON" ||
		!got[0].RefusedAt.Equal(t0) || got[0].Device != dev.ID {
		t.Fatalf("refused facts after reopen: %+v", got)
	}
	if n, _ := e.s.LastDevSeq(e.ctx, dev.ID); n != 4 {
		t.Fatalf("last dev seq %d after reopen, want 4", n)
	}
}

// Many devices upload at once, every batch twice as after a lost acknowledgement, while staff
// record reference data: the log stays gapless, every fact lands once and the chain verifies.
func testConcurrentUploads(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	const devices, batches, perBatch, staffWrites = 4, 5, 4, 10
	makers := make([]*Facts, devices)
	for i := range makers {
		makers[i] = e.kiosk([]string{"HX01", "HX02"}[i%2])
	}
	base := e.lastSeq()
	var wg sync.WaitGroup
	errs := make(chan error, devices+1)
	for _, f := range makers {
		batchesOf := make([][]domain.Event, batches)
		for n := range batches {
			for k := range perBatch {
				batchesOf[n] = append(batchesOf[n], f.Submission(t, fmt.Sprintf("%s-%d-%d", f.Dev.ID, n, k),
					fmt.Sprintf("%s20261123-%04d", domain.CaseNumberPrefix(f.Dev.Station, f.Dev.Code), n*perBatch+k+1)))
			}
		}
		wg.Go(func() {
			for _, evs := range batchesOf {
				for range 2 {
					if _, err := e.s.ApplyFacts(e.ctx, f.Dev.ID, evs); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range staffWrites {
			if _, err := e.s.UpsertStation(e.ctx, domain.Station{Code: "HX01", Name: "测试联络站HX01"},
				domain.Actor{Role: domain.RoleStaff}); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, want := e.lastSeq(), base+staffWrites+devices*batches*perBatch; got != want {
		t.Fatalf("log at %d, want %d", got, want)
	}
	for _, f := range makers {
		if n, _ := e.s.LastDevSeq(e.ctx, f.Dev.ID); n != batches*perBatch {
			t.Errorf("device %s at %d, want %d", f.Dev.ID, n, batches*perBatch)
		}
	}
	log := e.checkLog("HX01", "HX02")
	// Each device's facts are in the log in its own order.
	lastOf := map[string]int64{}
	for _, ev := range log {
		if ev.Device == domain.HubDevice || ev.Device == "" {
			continue
		}
		if ev.DevSeq != lastOf[ev.Device]+1 {
			t.Fatalf("device %s: fact %d after %d in the log", ev.Device, ev.DevSeq, lastOf[ev.Device])
		}
		lastOf[ev.Device] = ev.DevSeq
	}
}

// Two kiosks, offline when their representatives claimed the same case: the later claim in
// log order is recorded and resolved by the hub, which keeps its representative as co-handler.
func testConcurrentClaims(t *testing.T, e *env) {
	e.addStation("HX01")
	k1, k2 := e.kiosk("HX01"), e.kiosk("HX01")
	if k1.Dev.Code != "K1" || k2.Dev.Code != "K2" {
		t.Fatalf("device codes %s, %s", k1.Dev.Code, k2.Dev.Code)
	}
	id := CaseID("case-1")
	e.apply(k1, k1.Submission(t, "case-1", "N1"))
	c1 := k1.Claim(t, "case-1", "rep-a", "张三")
	c2 := k2.Claim(t, "case-1", "rep-b", "李四")
	e.apply(k2, c2)
	res := e.apply(k1, c1)
	if res.Applied != 1 {
		t.Fatalf("late claim: %+v", res)
	}
	c, err := e.s.Case(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.RepID != "rep-b" || len(c.CoHandlers) != 1 || c.CoHandlers[0].RepID != "rep-a" {
		t.Fatalf("case after concurrent claims: rep %s, co-handlers %+v", c.RepID, c.CoHandlers)
	}
	evs, err := e.s.StreamEvents(e.ctx, id)
	if err != nil || len(evs) == 0 {
		t.Fatalf("stream: %d events, %v", len(evs), err)
	}
	last := evs[len(evs)-1]
	if last.Kind != domain.KindCaseCoHandler || last.Device != domain.HubDevice || last.HubSeq != res.LastSeq {
		t.Fatalf("last event %s from %s at %d, want the hub's co-handler at %d", last.Kind, last.Device, last.HubSeq, res.LastSeq)
	}
	// The projection equals a fresh fold of the log, as stations will compute it.
	folded, _ := domain.Fold(evs, domain.DefaultRules())
	if folded.RepID != c.RepID || len(folded.CoHandlers) != len(c.CoHandlers) || folded.Version != c.Version {
		t.Fatalf("fold %+v differs from projection %+v", folded, c)
	}
	// The same representative claiming twice is not a conflict to resolve.
	before := e.lastSeq()
	e.apply(k2, k2.Claim(t, "case-1", "rep-b", "李四"))
	if after := e.lastSeq(); after != before+1 {
		t.Fatalf("repeat claim appended %d events, want 1", after-before)
	}
	e.checkLog("HX01")
}
