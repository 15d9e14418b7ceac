package sqlitestore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"liaison/sync/domain"
)

// DutySign is one duty sign-in or sign-out fact as staff review them.
type DutySign struct {
	Seq     int64     `json:"seq"`
	Device  string    `json:"device"`
	RepID   string    `json:"rep_id"`
	RepName string    `json:"rep_name"`
	Badge   string    `json:"badge"`
	In      bool      `json:"in"` // sign-in (true) or sign-out
	At      time.Time `json:"at"` // the scan's real time at the station
	// Duplicate marks a sign that repeats the representative's previous sign of the day
	// (two sign-ins with no sign-out between, e.g. one scan at each of two offline kiosks).
	// It is kept, never dropped: staff decide what it means.
	Duplicate bool `json:"duplicate"`
}

// DutySigns lists a station's duty facts of a day (YYYY-MM-DD, China time) in the order
// they happened, with repeats marked.
func (s *Store) DutySigns(ctx context.Context, station, day string) ([]DutySign, error) {
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
	var out []DutySign
	for _, ev := range evs {
		if ev.At.Before(start) || !ev.At.Before(end) {
			continue
		}
		var p domain.DutySign
		if json.Unmarshal(ev.Data, &p) != nil {
			continue
		}
		out = append(out, DutySign{Seq: ev.HubSeq, Device: ev.Device, RepID: p.RepID, RepName: p.RepName,
			Badge: p.Badge, In: ev.Kind == domain.KindDutySignedIn, At: ev.At})
	}
	// facts arrive in upload order; what happened is ordered by the stations' clocks
	slices.SortStableFunc(out, func(a, b DutySign) int {
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
