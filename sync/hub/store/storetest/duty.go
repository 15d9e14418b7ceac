package storetest

import (
	"fmt"
	"testing"
	"time"

	"liaison/sync/domain"
)

// china is the stations' zone, in which a duty day is counted.
var china = time.FixedZone("CST", 8*3600)

// dutySign is rep's duty sign-in (or sign-out) at the kiosk at the scan's time at.
func dutySign(t testing.TB, f *Facts, in bool, rep, name string, at time.Time) domain.Event {
	t.Helper()
	kind := domain.KindDutySignedOut
	if in {
		kind = domain.KindDutySignedIn
	}
	f.At = at.Add(-time.Minute)
	return f.Fact(t, "duty:"+f.Dev.Station+":"+rep, kind, domain.Actor{Role: domain.RoleRepresentative, ID: rep, Name: name},
		domain.DutySign{RepID: rep, RepName: name, Badge: "B0001", Nonce: fmt.Sprintf("%016x", f.Seq+1)})
}

// testDutySigns: staff see a station's duty signs of a day, China time, in the order the scans
// happened whatever order they were uploaded in, each with its log sequence and device, and a
// sign that repeats the representative's previous one that day marked, not dropped.
func testDutySigns(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	k1, k2, k3 := e.kiosk("HX01"), e.kiosk("HX01"), e.kiosk("HX02")
	day := func(d, h, m, s int) time.Time { return time.Date(2026, 11, d, h, m, s, 0, china) }
	e.clk.Set(day(24, 12, 0, 0))

	// K1 is online; K2 was offline and uploads its scans afterwards.
	e.apply(k1,
		dutySign(t, k1, true, "HX01-R01", "张三", day(23, 10, 1, 0)),
		dutySign(t, k1, false, "HX01-R01", "张三", day(23, 10, 3, 0)),
		k1.Submission(t, "case-1", "N1"),
		dutySign(t, k1, true, "HX01-R02", "李四", day(23, 10, 5, 0)),
		dutySign(t, k1, false, "HX01-R02", "李四", day(23, 10, 7, 0)),
		dutySign(t, k1, true, "HX01-R01", "张三", day(23, 23, 59, 59)),
		dutySign(t, k1, false, "HX01-R01", "张三", day(24, 0, 0, 0)))
	e.apply(k2,
		dutySign(t, k2, true, "HX01-R01", "张三", day(23, 10, 2, 0)),
		dutySign(t, k2, false, "HX01-R02", "李四", day(23, 10, 6, 0)))
	e.apply(k3, dutySign(t, k3, true, "HX02-R01", "王五", day(23, 10, 4, 0)))

	seqOf := map[string]int64{} // device/DevSeq → HubSeq
	for _, st := range []string{"HX01", "HX02"} {
		evs, err := e.s.EventsAfter(e.ctx, st, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			seqOf[fmt.Sprintf("%s/%d", ev.Device, ev.DevSeq)] = ev.HubSeq
		}
	}
	type want struct {
		f      *Facts
		devSeq int64
		rep    string
		in     bool
		at     time.Time
		dup    bool
	}
	check := func(station, d string, wants []want) {
		t.Helper()
		got, err := e.s.DutySigns(e.ctx, station, d)
		if err != nil {
			t.Fatalf("duty signs of %s on %s: %v", station, d, err)
		}
		if len(got) != len(wants) {
			t.Fatalf("duty signs of %s on %s: %+v, want %d", station, d, got, len(wants))
		}
		for i, w := range wants {
			g := got[i]
			name := map[string]string{"HX01-R01": "张三", "HX01-R02": "李四", "HX02-R01": "王五"}[w.rep]
			if g.Seq != seqOf[fmt.Sprintf("%s/%d", w.f.Dev.ID, w.devSeq)] || g.Device != w.f.Dev.ID ||
				g.RepID != w.rep || g.RepName != name || g.Badge != "B0001" || g.In != w.in || !g.At.Equal(w.at) ||
				g.Duplicate != w.dup {
				t.Errorf("%s %s sign %d: %+v; want %s's fact %d: %s in=%v at %v duplicate=%v", station, d, i, g,
					w.f.Dev.Code, w.devSeq, w.rep, w.in, w.at, w.dup)
			}
		}
	}
	day23 := []want{
		{k1, 1, "HX01-R01", true, day(23, 10, 1, 0), false},
		{k2, 1, "HX01-R01", true, day(23, 10, 2, 0), true}, // a second sign-in from the offline kiosk
		{k1, 2, "HX01-R01", false, day(23, 10, 3, 0), false},
		{k1, 4, "HX01-R02", true, day(23, 10, 5, 0), false},
		{k2, 2, "HX01-R02", false, day(23, 10, 6, 0), false},
		{k1, 5, "HX01-R02", false, day(23, 10, 7, 0), true}, // signed out twice
		{k1, 6, "HX01-R01", true, day(23, 23, 59, 59), false},
	}
	day24 := []want{{k1, 7, "HX01-R01", false, day(24, 0, 0, 0), false}} // the day's first sign is no repeat
	check("HX01", "2026-11-23", day23)
	check("HX01", "2026-11-24", day24)
	check("HX01", "2026-11-22", nil)
	check("HX02", "2026-11-23", []want{{k3, 1, "HX02-R01", true, day(23, 10, 4, 0), false}})
	check("HX09", "2026-11-23", nil)
	for _, bad := range []string{"23.11.2026", "2026-11-31", ""} {
		if got, err := e.s.DutySigns(e.ctx, "HX01", bad); err == nil {
			t.Errorf("duty signs of day %q: %+v, want an error", bad, got)
		}
	}

	e.reopen()
	check("HX01", "2026-11-23", day23)
	e.checkLog("HX01", "HX02")
}
