package synctest

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"liaison/app/store"
	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/wsserver"
)

// hubHistory makes n hub-originated events: case submissions and supervisions of station,
// with a global reference update every tenth event.
func hubHistory(station string, n int, at time.Time) []domain.Event {
	evs := make([]domain.Event, 0, n)
	for i := 0; len(evs) < n; i++ {
		stream := fmt.Sprintf("%s-hist-%d", station, i)
		sub, _ := json.Marshal(domain.CaseSubmitted{Number: fmt.Sprintf("%s-H-%06d", station, i), Token: domain.NewToken(), Category: "road",
			Text: "测试历史诉求", Community: "测试社区", ResidentID: "r-hist", SurnameMask: "李*"})
		evs = append(evs, domain.Event{ID: domain.NewEventID(), Station: station, Stream: stream, Kind: domain.KindCaseSubmitted,
			At: at, Actor: domain.Actor{Role: domain.RoleResident, ID: "r-hist", Name: "李*"}, Data: sub})
		if len(evs)%10 == 9 {
			cat, _ := json.Marshal(domain.Category{Code: "road", Name: fmt.Sprintf("道路交通%d", i)})
			evs = append(evs, domain.Event{ID: domain.NewEventID(), Stream: "category:road", Kind: domain.KindCategoryUpserted,
				At: at, Actor: staff, Data: cat})
			continue
		}
		note, _ := json.Marshal(domain.CaseNote{Note: "测试督办"})
		evs = append(evs, domain.Event{ID: domain.NewEventID(), Station: station, Stream: stream, Kind: domain.KindCaseSupervised,
			At: at, Actor: staff, Data: note})
	}
	return evs[:n]
}

// A station cut off for a month (its clock moving on, facts queued every day) while the hub
// also moved on; when the link returns it uploads everything exactly once, downloads what it
// missed, and reports itself caught up. Facts keep the time they were recorded.
func TestStationOfflineForAMonth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	hs := realHub(t, dir, "HX01", "HX02")
	nw := faultnet.New(nil)
	h := startHub(t, hs, nw, wsserver.Config{})
	st := realStation(t, hs, dir, "HX01")
	st.store.(*store.Store).Close()

	start := time.Date(2026, 10, 1, 0, 30, 0, 0, time.UTC)
	clk := clocktest.New(start) // shared by the station store and its client
	ls, err := store.Open(filepath.Join(dir, st.id+".db"), nil, store.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ls.Close() })
	st.store = ls

	const days, perDay = 30, 10
	for d := 0; d < days; d++ {
		batch := make([]domain.Event, 0, perDay)
		for i := 0; i < perDay; i++ {
			data, _ := json.Marshal(domain.CaseSubmitted{Category: "road", Text: fmt.Sprintf("测试诉求 %d-%d", d, i),
				Community: "测试社区", ResidentID: testResident, SurnameMask: "张*"})
			batch = append(batch, domain.Event{Kind: domain.KindCaseSubmitted, Stream: caseIDOf(fmt.Sprintf("%s-m-%d-%d", st.id, d, i)),
				Actor: domain.Actor{Role: domain.RoleResident, ID: testResident, Name: "张*"}, Data: data})
		}
		clk.Set(start.Add(time.Duration(d) * 24 * time.Hour))
		if _, err := ls.Record(ctx, batch...); err != nil {
			t.Fatalf("day %d: %v", d, err)
		}
	}
	if ok, err := hs.Import(ctx, "month", hubHistory("HX01", 600, start)); err != nil || !ok {
		t.Fatalf("hub history: %v", err)
	}
	if ok, err := hs.Import(ctx, "month-other", hubHistory("HX02", 150, start)); err != nil || !ok {
		t.Fatalf("other station's history: %v", err)
	}
	back := start.Add(days * 24 * time.Hour)
	clk.Set(back)

	cfg := fastClient(st.id, h.url, nw)
	cfg.Now = clk.Now
	began := time.Now()
	st.start(cfg)
	defer st.stop(t)
	hubLast := mustLastSeq(t, hs) + days*perDay
	// The status is cheap to poll; the full comparison runs once it says caught up.
	eventually(t, 60*time.Second, "catch-up", func() bool {
		s := st.client.Status()
		return s.Outbox == 0 && s.Cursor >= hubLast
	})
	t.Logf("caught up %d facts up and %d hub events down in %v", days*perDay, hubLast, time.Since(began))
	if ok, why := converged(ctx, hs, []*station{st}); !ok {
		t.Fatalf("caught up but not converged: %s", why)
	}
	assertEachFactOnce(t, hs, []*station{st}, days*perDay)
	s := st.client.Status()
	if s.Outbox != 0 || s.Lag != 0 || !s.LastSync.Equal(back) || s.State != "connected" {
		t.Fatalf("status after catch-up %+v", s)
	}
	first, err := hs.CaseByNumber(ctx, mustCase(t, ls, caseIDOf(st.id+"-m-0-0")).Number)
	if err != nil || !first.SubmittedAt.Equal(start) {
		t.Fatalf("first case at the hub %+v, %v; want submitted at %v", first, err, start)
	}
	if c := mustCase(t, ls, "HX01-hist-250"); c.SupervisedCount != 1 {
		t.Fatalf("hub history not applied at the station: %+v", c)
	}
}

func mustCase(t *testing.T, ls *store.Store, id string) domain.Case {
	t.Helper()
	c, err := ls.Case(context.Background(), id)
	if err != nil {
		t.Fatalf("case %s: %v", id, err)
	}
	return c
}
