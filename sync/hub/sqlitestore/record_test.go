package sqlitestore

import (
	"context"
	"slices"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/record"
	"liaison/sync/hub/store"
)

func TestRecordRulesKeepEveryVersion(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	r, hist, err := s.RecordRules(ctx, 10)
	if err != nil || len(hist) != 0 || !slices.Equal(r.Stars, record.DefaultRules().Stars) {
		t.Fatalf("fresh hub: %+v %v %v", r, hist, err)
	}
	a := record.DefaultRules()
	a.Stars = []int{10}
	if _, err := s.SaveRecordRules(ctx, a, "admin", "管理员"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	b := record.DefaultRules()
	b.CapPeriod = record.CapYear
	v, err := s.SaveRecordRules(ctx, b, "li", "李工")
	if err != nil || v != 2 {
		t.Fatalf("second save: version %d, %v", v, err)
	}
	r, hist, err = s.RecordRules(ctx, 10)
	if err != nil || r.CapPeriod != record.CapYear || len(hist) != 2 {
		t.Fatalf("rules %+v, %d versions, %v", r, len(hist), err)
	}
	if hist[0].Login != "li" || hist[1].Login != "admin" || !hist[0].Saved.Equal(t0.Add(time.Hour)) ||
		!slices.Equal(hist[1].Rules.Stars, []int{10}) {
		t.Errorf("history: %+v", hist)
	}
	if _, hist, _ = s.RecordRules(ctx, 1); len(hist) != 1 || hist[0].Version != 2 {
		t.Errorf("limit 1: %+v", hist)
	}
}

// RecordEvents returns the period's own acts by their time, whole case streams with an act in
// the period, and nothing else.
func TestRecordEventsOfAPeriod(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	dev := pairDevice(t, s, "HX01", store.RoleKiosk)
	k := &factMaker{Dev: dev, Now: clk.Now}
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "R1", Name: "代表"}
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	apply := func(at time.Time, evs ...func() domain.Event) []domain.Event {
		t.Helper()
		clk.Set(at)
		var out []domain.Event
		for _, f := range evs {
			out = append(out, f())
		}
		if _, err := s.ApplyFacts(ctx, dev.ID, out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	duty := func() domain.Event {
		return k.Fact(t, "duty:HX01:R1", domain.KindDutySignedIn, rep, domain.DutySign{RepID: "R1"})
	}
	// a case submitted in November and claimed in December: its whole stream is read
	sub := apply(from.Add(-48*time.Hour), func() domain.Event { return k.Submission(t, "rec-a", "a") })
	claim := apply(from.Add(2*time.Hour), func() domain.Event { return k.Claim(t, "rec-a", "R1", "代表") })
	// a case with nothing in December is left out
	apply(from.Add(-24*time.Hour), func() domain.Event { return k.Submission(t, "rec-b", "b") },
		func() domain.Event { return k.Claim(t, "rec-b", "R1", "代表") })
	// duty sign-ins just inside and just outside the bounds, a fraction of a second apart
	before := apply(from.Add(-time.Second/2), duty)
	first := apply(from, duty)
	inside := apply(from.Add(500*time.Millisecond), duty)
	last := apply(to.Add(-time.Millisecond), duty)
	after := apply(to.Add(2*time.Second), duty)

	evs, err := s.RecordEvents(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ev := range evs {
		ids = append(ids, ev.ID)
	}
	for _, want := range []domain.Event{sub[0], claim[0], first[0], inside[0], last[0]} {
		if !slices.Contains(ids, want.ID) {
			t.Errorf("%s at %s is missing", want.Kind, want.At)
		}
	}
	if slices.Contains(ids, after[0].ID) || slices.ContainsFunc(evs, func(ev domain.Event) bool { return ev.Stream == cid("rec-b") }) {
		t.Errorf("events outside the period: %v", ids)
	}
	for i := 1; i < len(evs); i++ {
		if evs[i].HubSeq <= evs[i-1].HubSeq {
			t.Fatalf("not in log order at %d", i)
		}
	}
	// the one before the start may come (within the widened second); scoring drops it
	p := record.Period{Key: "2026-12", From: from, To: to, Months: 1}
	recs := record.Score(record.Input{Events: evs, Rules: record.DefaultRules(), Period: p, Location: time.UTC,
		CaseRules: domain.DefaultRules()})
	if got := recs["R1"]; got == nil || got.Totals[0].Count != 2 || got.Totals[1].Count != 1 {
		t.Errorf("scored: %+v; want the duty days 1 and 31 December (not 30 November) and one claim", got)
	}
	for _, e := range recs["R1"].Entries {
		if e.At.Equal(before[0].At) {
			t.Errorf("the sign-in before the period scored")
		}
	}
}
