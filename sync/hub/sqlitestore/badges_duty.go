package sqlitestore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// DutySigns lists a station's duty facts of a day (YYYY-MM-DD, China time) in the order
// they happened, with repeats marked.
func (s *Store) DutySigns(ctx context.Context, station, day string) ([]store.DutySign, error) {
	start, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CST", 8*3600))
	if err != nil {
		return nil, fmt.Errorf("duty signs: day %q: %w", day, err)
	}
	evs, err := queryEvents(ctx, s.db, `SELECT `+eventCols+` FROM log WHERE station = ? AND kind IN (?, ?)
		ORDER BY seq`, station, string(domain.KindDutySignedIn), string(domain.KindDutySignedOut))
	if err != nil {
		return nil, fmt.Errorf("duty signs: %w", err)
	}
	end := start.AddDate(0, 0, 1)
	var out []store.DutySign
	for _, ev := range evs {
		if ev.At.Before(start) || !ev.At.Before(end) {
			continue
		}
		var p domain.DutySign
		if json.Unmarshal(ev.Data, &p) != nil {
			continue
		}
		out = append(out, store.DutySign{Seq: ev.HubSeq, Device: ev.Device, RepID: p.RepID, RepName: p.RepName,
			Badge: p.Badge, In: ev.Kind == domain.KindDutySignedIn, At: ev.At})
	}
	// facts arrive in upload order; what happened is ordered by the stations' clocks
	slices.SortStableFunc(out, func(a, b store.DutySign) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	last := map[string]bool{}
	seen := map[string]bool{}
	for i := range out {
		r := out[i].RepID
		out[i].Duplicate = seen[r] && last[r] == out[i].In
		seen[r], last[r] = true, out[i].In
	}
	return out, nil
}
