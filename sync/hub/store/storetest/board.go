package storetest

import (
	"fmt"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// The board's per-station figures are exactly what domain.Tally counts over that station's
// case projections, at any instant: cases waiting, claimed on time and late, withdrawn,
// merged, rated three ways, closed unrated, escalated and overdue.
func testBoardCounts(t *testing.T, e *env) {
	stations := []string{"HX01", "HX02"}
	resident := domain.Actor{Role: domain.RoleResident, ID: Resident, Name: "张*"}
	dept := domain.Actor{Role: domain.RoleDepartment, ID: "JD-CG", Name: "街道城管科"}
	act := func(label string, kind domain.Kind, actor domain.Actor, payload any) {
		t.Helper()
		if _, err := e.s.Act(e.ctx, CaseID(label), kind, actor, payload); err != nil {
			t.Fatalf("%s %s: %v", label, kind, err)
		}
	}
	for si, st := range stations {
		e.addStation(st)
		k := e.kiosk(st)
		k.Now = e.clk.Now
		label := func(n int) string { return fmt.Sprintf("%s-%d", st, n) }
		cases := 11 - si // the second station's figures differ from the first's
		for n := range cases {
			e.clk.Advance(time.Minute)
			e.apply(k, k.Submission(t, label(n), NthNumber(k.Dev, n+1)))
		}
		e.clk.Advance(10 * time.Minute)
		e.apply(k, k.Claim(t, label(1), "rep-a", "张三"))
		e.apply(k, k.Fact(t, label(2), domain.KindCaseWithdrawn, resident, domain.CaseNote{Note: "已自行解决"}))
		act(label(3), domain.KindCaseMerged, staff, domain.CaseMerged{Into: CaseID(label(0))})
		for n := 4; n <= 9; n++ {
			act(label(n), domain.KindCaseAccepted, staff, domain.CaseAccepted{RepID: "rep-a", RepName: "张三"})
		}
		for n := 4; n <= 7; n++ {
			act(label(n), domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: "JD-CG", DeptName: "街道城管科",
				Due: e.clk.Now().Add(48 * time.Hour)})
			act(label(n), domain.KindCaseReplied, dept, domain.CaseReplied{Reply: "已处理"})
		}
		for n, r := range map[int]domain.Rating{4: domain.RatingSatisfied, 5: domain.RatingBasically, 6: domain.RatingUnsatisfied} {
			e.apply(k, k.Fact(t, label(n), domain.KindCaseRated, resident, domain.CaseRated{Rating: r}))
		}
		act(label(8), domain.KindCaseEscalated, staff, domain.CaseEscalated{To: "QU", ToName: "示范区"})
		act(label(9), domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: "JD-CG", DeptName: "街道城管科",
			Due: e.clk.Now().Add(2 * time.Hour)})
	}
	check := func(when string) {
		t.Helper()
		now := e.clk.Now()
		got, err := e.s.BoardCounts(e.ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(stations) {
			t.Fatalf("%s: figures of %d stations, want %d", when, len(got), len(stations))
		}
		var all domain.Tally
		for _, st := range stations {
			cs, err := e.s.Cases(e.ctx, store.CaseFilter{Station: st})
			if err != nil {
				t.Fatal(err)
			}
			want := domain.ComputeRates(cs, now, domain.DefaultRules())
			tally := got[st]
			if g := tally.Rates(); g != want {
				t.Errorf("%s, %s:\n got %+v\nwant %+v", when, st, g, want)
			}
			all.Merge(tally)
		}
		if r := all.Rates(); r.Submitted != 21 {
			t.Errorf("%s: the stations add up to %d cases, want 21", when, r.Submitted)
		}
	}
	check("as the day goes on")
	// the late claim: the first station's case 10 has waited three days past its accept deadline
	e.clk.Advance(72 * time.Hour)
	k := e.kiosk("HX01")
	k.Now = e.clk.Now
	e.apply(k, k.Claim(t, "HX01-10", "rep-b", "李四"))
	// the rating window of case 7 passes unrated
	e.clk.Advance(domain.DefaultRatingWindow)
	if _, err := e.s.CloseUnrated(e.ctx); err != nil {
		t.Fatal(err)
	}
	check("days later")
	r := e.boardOf("HX01")
	if r.Overdue == 0 || r.ClosedUnrated != 1 || r.Rated != 3 || r.AcceptedOnTime == 0 || r.Withdrawn != 1 || r.Merged != 1 {
		t.Errorf("the cases do not cover every figure: %+v", r)
	}
}

func (e *env) boardOf(station string) domain.Rates {
	e.t.Helper()
	got, err := e.s.BoardCounts(e.ctx, e.clk.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	t := got[station]
	return t.Rates()
}
