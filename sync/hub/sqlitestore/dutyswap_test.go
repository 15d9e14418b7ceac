package sqlitestore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

func TestDutySwapDecisions(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	staff := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	starts := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC) // 09:00 in the station
	day := domain.DutyShift{Station: "HX01", Day: "2026-11-25", RepIDs: []string{"R1", "R2"}, Starts: starts, Ends: starts.Add(8 * time.Hour)}
	writes := []store.RefWrite{{Kind: domain.KindStationUpserted, Key: "HX01", Data: mustJSON(t, domain.Station{Code: "HX01", Name: "测试站"})}}
	for _, id := range []string{"R1", "R2", "R3"} {
		writes = append(writes, store.RefWrite{Kind: domain.KindRepresentativeUpserted, Key: id,
			Data: mustJSON(t, domain.Representative{ID: id, Name: "代表" + id, Level: "区", Stations: []string{"HX01"}})})
	}
	writes = append(writes, store.RefWrite{Kind: domain.KindDutyRosterUpserted, Key: "HX01:2026-11-25", Data: mustJSON(t, day)})
	if _, err := s.PutRefs(ctx, writes, staff); err != nil {
		t.Fatal(err)
	}
	roster := func() []string {
		raw, err := s.RefItem(ctx, domain.KindDutyRosterUpserted, "HX01:2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		var d domain.DutyShift
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatal(err)
		}
		return d.RepIDs
	}

	ask := func(rep, colleague string) store.DutySwap {
		t.Helper()
		x, err := s.CreateDutySwap(ctx, store.DutySwap{RepID: rep, RepName: "代表" + rep, Station: "HX01",
			Day: "2026-11-25", Colleague: colleague, Reason: "出差"})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	first := ask("R1", "R3")
	if first.ID == 0 || first.State != store.SwapPending {
		t.Fatalf("created %+v", first)
	}
	if _, err := s.CreateDutySwap(ctx, store.DutySwap{RepID: "R1", Station: "HX01", Day: "2026-11-25"}); !errors.Is(err, store.ErrSwapPending) {
		t.Fatalf("a second pending request of the day: %v", err)
	}

	last, _ := s.LastSeq(ctx)
	x, res, err := s.DecideDutySwap(ctx, first.ID, true, "R3", "同意", staff)
	if err != nil || x.State != store.SwapApproved || x.Replacement != "R3" || x.DecidedBy != staff.Name || len(res.Events) != 1 {
		t.Fatalf("approve: %+v %+v %v", x, res, err)
	}
	if got := roster(); !slices.Equal(got, []string{"R3", "R2"}) {
		t.Fatalf("roster after approval %v", got)
	}
	ev := res.Events[0]
	if ev.Kind != domain.KindDutyRosterUpserted || ev.Actor != staff || ev.Station != "HX01" || ev.HubSeq != last+1 {
		t.Fatalf("roster fact %+v", ev)
	}
	if _, _, err := s.DecideDutySwap(ctx, first.ID, false, "", "", staff); !errors.Is(err, store.ErrSwapDecided) {
		t.Fatalf("deciding twice: %v", err)
	}

	// R1 is no longer on duty that day: a request of theirs made before cannot be approved.
	stale := ask("R2", "")
	late, err := s.CreateDutySwap(ctx, store.DutySwap{RepID: "R1", RepName: "代表R1", Station: "HX01", Day: "2026-11-25"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.DecideDutySwap(ctx, late.ID, true, "", "", staff); !errors.Is(err, store.ErrSwapStale) {
		t.Fatalf("approving for someone off duty: %v", err)
	}
	if _, _, err := s.DecideDutySwap(ctx, stale.ID, true, "R3", "", staff); !errors.Is(err, store.ErrSwapStale) {
		t.Fatalf("replacement already on duty: %v", err)
	}
	if got, _ := s.DutySwap(ctx, stale.ID); got.State != store.SwapPending {
		t.Fatalf("a refused approval changed the request: %+v", got)
	}
	// Without a replacement the requester is only taken off the day.
	if _, _, err := s.DecideDutySwap(ctx, stale.ID, true, "", "", staff); err != nil {
		t.Fatal(err)
	}
	if got := roster(); !slices.Equal(got, []string{"R3"}) {
		t.Fatalf("roster after taking R2 off %v", got)
	}
	// Rejection writes no fact.
	before, _ := s.LastSeq(ctx)
	if x, res, err := s.DecideDutySwap(ctx, late.ID, false, "", "人手不足", staff); err != nil || x.State != store.SwapRejected ||
		x.Note != "人手不足" || len(res.Events) != 0 {
		t.Fatalf("reject: %+v %v", x, err)
	}
	if after, _ := s.LastSeq(ctx); after != before {
		t.Fatalf("rejection wrote to the log: %d -> %d", before, after)
	}
	if _, _, err := s.DecideDutySwap(ctx, 999, true, "", "", staff); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown request: %v", err)
	}

	mine, err := s.DutySwaps(ctx, store.SwapFilter{RepID: "R1"})
	if err != nil || len(mine) != 2 || mine[0].ID != late.ID || mine[1].ID != first.ID {
		t.Fatalf("R1's requests %+v %v", mine, err)
	}
	pending, err := s.DutySwaps(ctx, store.SwapFilter{State: store.SwapPending})
	if err != nil || len(pending) != 0 {
		t.Fatalf("pending %+v %v", pending, err)
	}
}
