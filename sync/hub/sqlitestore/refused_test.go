package sqlitestore

import (
	"context"
	"errors"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// A refused fact is set aside and the device's sequence moves past it, so the facts after it
// apply; the log never holds it, and the refusal survives a reopen.
func TestRefuseFactMovesPast(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := &clock{t: t0}
	dir := t.TempDir()
	s := open(t, dir, clk)
	defer func() { s.Close() }()
	addStation(t, s, "HX01")
	addStation(t, s, "HX02")
	dev := pairDevice(t, s, "HX01", RoleKiosk)
	f := &factMaker{dev: dev, at: t0}
	first := submission(t, f, cid("case-1"), "HX01-K1-1")
	bad := submission(t, f, cid("case-2"), "HX01-K1-2")
	bad.Station = "HX02"
	notJSON := submission(t, f, cid("case-3"), "HX01-K1-3")
	notJSON.Data = []byte("{not json")
	last := submission(t, f, cid("case-4"), "HX01-K1-4")
	all := []domain.Event{first, bad, notJSON, last}

	res, err := s.ApplyFacts(ctx, dev.ID, all)
	if !errors.Is(err, store.ErrInvalidFact) || res.Applied != 1 || res.LastDevSeq != 1 {
		t.Fatalf("apply: %+v, %v; want the endpoint's ErrInvalidFact after 1", res, err)
	}
	logBefore, _ := s.LastSeq(ctx)
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
		got, err := s.RefuseFact(ctx, dev.ID, tc.fact, domain.CodeScope, "station HX02 is not the device's")
		if !errors.Is(err, tc.wantErr) || got != tc.want {
			t.Errorf("%s: got %+v, %v; want %+v, %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
	res, err = s.ApplyFacts(ctx, dev.ID, all)
	if !errors.Is(err, ErrInvalidFact) || res.Duplicates != 2 || res.LastDevSeq != 2 {
		t.Fatalf("apply after first refusal: %+v, %v", res, err)
	}
	if _, err := s.RefuseFact(ctx, dev.ID, notJSON, domain.CodeSchema, "payload is not JSON"); err != nil {
		t.Fatal(err)
	}
	res, err = s.ApplyFacts(ctx, dev.ID, all)
	if err != nil || res.Applied != 1 || res.Duplicates != 3 || res.LastDevSeq != 4 {
		t.Fatalf("apply after refusals: %+v, %v", res, err)
	}
	log, err := s.EventsAfter(ctx, "HX01", 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		if e.ID == bad.ID || e.ID == notJSON.ID {
			t.Fatalf("refused fact %s is in the log", e.ID)
		}
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}

	s.Close()
	s = open(t, dir, clk)
	got, err := s.RefusedFacts(ctx, dev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].DevSeq != 2 || got[0].Fact.ID != bad.ID || got[0].Fact.Station != "HX02" ||
		got[1].DevSeq != 3 || got[1].Fact.ID != notJSON.ID || got[1].Reason != "payload is not JSON" ||
		!got[0].RefusedAt.Equal(t0) {
		t.Fatalf("refused facts after reopen: %+v", got)
	}
	if n, _ := s.LastDevSeq(ctx, dev.ID); n != 4 {
		t.Fatalf("last dev seq %d after reopen, want 4", n)
	}
}
