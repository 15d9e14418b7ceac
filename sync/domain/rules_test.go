package domain

import (
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the machine's tz database
)

func cst(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.FixedZone("CST", 8*3600))
}

func TestAssignDeadline(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	cases := []struct {
		name string
		at   time.Time
		want time.Time
	}{
		{"monday morning", cst(2026, 11, 23, 9, 0), cst(2026, 11, 23, 18, 0)},
		{"just before the end", cst(2026, 11, 23, 17, 59), cst(2026, 11, 23, 18, 0)},
		{"at the end", cst(2026, 11, 23, 18, 0), cst(2026, 11, 24, 18, 0)},
		{"friday evening", cst(2026, 11, 27, 19, 0), cst(2026, 11, 30, 18, 0)},
		{"saturday", cst(2026, 11, 28, 10, 0), cst(2026, 11, 30, 18, 0)},
		{"sunday late", cst(2026, 11, 29, 23, 0), cst(2026, 11, 30, 18, 0)},
		{"utc input, local next day", time.Date(2026, 11, 23, 20, 0, 0, 0, time.UTC), cst(2026, 11, 24, 18, 0)},
		{"eve of national day", cst(2026, 9, 30, 18, 30), cst(2026, 10, 8, 18, 0)},
		{"make-up sunday before national day", cst(2026, 9, 20, 10, 0), cst(2026, 9, 20, 18, 0)},
		{"year end into new year holiday", cst(2026, 12, 31, 19, 0), cst(2027, 1, 4, 18, 0)},
		{"2025 new year eve, make-up sunday", cst(2025, 12, 31, 19, 0), cst(2026, 1, 4, 18, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := r.AssignDeadline(c.at); !got.Equal(c.want) {
				t.Fatalf("AssignDeadline(%v) = %v, want %v", c.at, got, c.want.UTC())
			}
		})
	}
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	cases := []struct {
		date string
		want bool
	}{
		{"2026-01-01", false}, // 元旦, Thursday
		{"2026-01-02", false}, // 元旦, Friday
		{"2026-01-04", true},  // 元旦调休, Sunday
		{"2026-01-05", true},
		{"2026-02-13", true},  // Friday before 春节
		{"2026-02-14", true},  // 春节调休, Saturday
		{"2026-02-15", false}, // 春节, Sunday
		{"2026-02-23", false}, // 春节, Monday
		{"2026-02-24", true},
		{"2026-02-28", true}, // 春节调休, Saturday
		{"2026-03-01", false},
		{"2026-04-06", false}, // 清明, Monday
		{"2026-05-05", false}, // 劳动节, Tuesday
		{"2026-05-06", true},
		{"2026-05-09", true}, // 劳动节调休, Saturday
		{"2026-06-19", false},
		{"2026-09-20", true}, // 国庆调休, Sunday
		{"2026-09-25", false},
		{"2026-10-07", false},
		{"2026-10-08", true},
		{"2026-10-10", true}, // 国庆调休, Saturday
		{"2026-10-11", false},
		{"2026-12-05", false}, // ordinary Saturday
		{"2026-12-07", true},
		{"2027-01-01", false}, // provisional 元旦
		{"2027-05-03", true},  // provisional data lists only 1–2 May
		{"2027-10-01", false},
		{"2027-10-04", true},
		{"2028-01-03", true},  // a year without data: Monday
		{"2028-01-01", false}, // Saturday
		{"2025-10-01", true},  // a Wednesday of a year without data, holiday or not
	}
	for _, c := range cases {
		d, err := time.ParseInLocation(time.DateOnly, c.date, r.Location)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []int{0, 12, 23} {
			if got := r.IsWorkingDay(d.Add(time.Duration(h) * time.Hour)); got != c.want {
				t.Errorf("IsWorkingDay(%s %02d:00) = %v, want %v", c.date, h, got, c.want)
			}
		}
	}
}
func TestOverdue(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	sub := caseIn(t, StateSubmitted, false)
	acc := caseIn(t, StateAccepted, false)
	asg := caseIn(t, StateAssigned, false)
	ret := caseIn(t, StateReturned, false)
	rep := caseIn(t, StateReplied, false)
	reo := caseIn(t, StateReopened, false)
	closed := caseIn(t, StateClosed, false)
	cases := []struct {
		name string
		c    Case
		now  time.Time
		want bool
	}{
		{"submitted within a day", sub, sub.SubmittedAt.Add(23 * time.Hour), false},
		{"submitted at the deadline", sub, sub.SubmittedAt.Add(24 * time.Hour), false},
		{"submitted after a day", sub, sub.SubmittedAt.Add(25 * time.Hour), true},
		{"accepted same day", acc, r.AssignDeadline(acc.AcceptedAt), false},
		{"accepted next day", acc, r.AssignDeadline(acc.AcceptedAt).Add(time.Minute), true},
		{"assigned before due", asg, asg.Due.Add(-time.Minute), false},
		{"assigned after due", asg, asg.Due.Add(time.Minute), true},
		{"returned not reassigned", ret, r.AssignDeadline(ret.ReturnedAt).Add(time.Minute), true},
		{"replied waits on resident", rep, rep.RepliedAt.Add(30 * 24 * time.Hour), false},
		{"reopened after new due", reo, reo.Due.Add(time.Second), true},
		{"reopened before new due", reo, reo.Due.Add(-time.Second), false},
		{"closed never", closed, closed.ClosedAt.Add(365 * 24 * time.Hour), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := Overdue(c.c, c.now, r); got != c.want {
				t.Fatalf("Overdue = %v, want %v (deadline %v)", got, c.want, Deadline(c.c, r))
			}
		})
	}
}

func TestComputeRates(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	day := 24 * time.Hour
	mk := func(s State) Case { return caseIn(t, s, false) }
	lateAccept := mk(StateAccepted)
	lateAccept.AcceptedAt = lateAccept.SubmittedAt.Add(30 * time.Hour)
	basically := mk(StateClosed)
	basically.Rating = RatingBasically
	unrated := mk(StateClosed)
	unrated.Rating, unrated.ClosedUnrated = "", true
	fresh := mk(StateSubmitted)
	now := t0.Add(20 * day)
	fresh.SubmittedAt = now.Add(-time.Hour)
	cases := []Case{
		mk(StateClosed),    // satisfied, accepted on time
		basically,          // basically, on time
		unrated,            // closed unrated, on time
		mk(StateReopened),  // unsatisfied, on time, overdue (due 5 working days after reopen)
		lateAccept,         // accepted late, overdue for assignment
		mk(StateWithdrawn), // withdrawn before accepted
		mk(StateMerged),    // merged before accepted
		mk(StateSubmitted), // never accepted, deadline passed, overdue
		fresh,              // awaiting accept
		{},                 // not a case: ignored
	}
	got := ComputeRates(cases, now, r)
	want := Rates{
		Submitted: 9, AcceptedOnTime: 4, AwaitingAccept: 1, EndedUnaccepted: 2,
		Withdrawn: 1, Merged: 1, Closed: 3, ClosedUnrated: 1,
		Rated: 3, Satisfied: 1, Basically: 1, Unsatisfied: 1, Open: 4, Overdue: 3,
		Response:     4.0 / 6.0,
		Completion:   3.0 / 7.0,
		Satisfaction: 2.0 / 3.0,
	}
	if got != want {
		t.Fatalf("rates\n got %+v\nwant %+v", got, want)
	}

	var a, b Tally
	for i, c := range cases {
		if i%2 == 0 {
			a.Add(c, now, r)
		} else {
			b.Add(c, now, r)
		}
	}
	a.Merge(b)
	if a.Rates() != want {
		t.Fatalf("merged tallies differ: %+v", a.Rates())
	}
	if empty := ComputeRates(nil, now, r); empty.Response != 0 || empty.Completion != 0 || empty.Satisfaction != 0 {
		t.Fatalf("empty rates %+v", empty)
	}
}

// workingCase is a start, a count of working hours or days, and the time it should come to.
type workingCase struct {
	name string
	at   time.Time
	n    int
	want time.Time
}

// runWorkingCases checks add, one of the rules' working-time sums named fn, against each case.
func runWorkingCases(t *testing.T, r Rules, fn string, add func(time.Time, int) time.Time, cases []workingCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := add(c.at, c.n); !got.Equal(c.want) {
				t.Fatalf("%s(%v, %d) = %v, want %v", fn, c.at, c.n, got.In(r.Location), c.want)
			}
		})
	}
}

func TestAddWorkingHours(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	cases := []workingCase{
		{"within the day", cst(2026, 11, 23, 9, 0), 3, cst(2026, 11, 23, 12, 0)},
		{"a full day from opening ends at closing", cst(2026, 11, 23, 9, 0), 9, cst(2026, 11, 23, 18, 0)},
		{"a full day from mid-morning", cst(2026, 11, 23, 10, 30), 9, cst(2026, 11, 24, 10, 30)},
		{"before opening starts at opening", cst(2026, 11, 23, 6, 0), 2, cst(2026, 11, 23, 11, 0)},
		{"after closing starts next morning", cst(2026, 11, 23, 20, 0), 2, cst(2026, 11, 24, 11, 0)},
		{"friday afternoon over the weekend", cst(2026, 11, 27, 17, 0), 9, cst(2026, 11, 30, 17, 0)},
		{"saturday counts from monday", cst(2026, 11, 28, 10, 0), 9, cst(2026, 11, 30, 18, 0)},
		{"two days", cst(2026, 11, 23, 9, 0), 18, cst(2026, 11, 24, 18, 0)},
		{"zero in office hours", cst(2026, 11, 23, 10, 0), 0, cst(2026, 11, 23, 10, 0)},
		{"zero at night", cst(2026, 11, 23, 22, 0), 0, cst(2026, 11, 24, 9, 0)},
		{"before 春节 into the make-up saturday", cst(2026, 2, 13, 15, 0), 9, cst(2026, 2, 14, 15, 0)},
		{"make-up saturday over the 9-day break", cst(2026, 2, 14, 15, 0), 9, cst(2026, 2, 24, 15, 0)},
		{"into 国庆 and out", cst(2026, 9, 30, 16, 0), 9, cst(2026, 10, 8, 16, 0)},
		{"国庆 holiday itself", cst(2026, 10, 3, 10, 0), 1, cst(2026, 10, 8, 10, 0)},
		{"friday before the make-up saturday", cst(2026, 10, 9, 17, 0), 9, cst(2026, 10, 10, 17, 0)},
		{"year end over the provisional new year", cst(2026, 12, 31, 17, 0), 9, cst(2027, 1, 4, 17, 0)},
		{"new year 2026 into the make-up sunday", cst(2025, 12, 31, 17, 0), 9, cst(2026, 1, 4, 17, 0)},
		{"clearing 劳动节", cst(2026, 4, 30, 17, 30), 1, cst(2026, 5, 6, 9, 30)},
		{"utc input", time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC), 1, cst(2026, 11, 23, 10, 0)},
	}
	runWorkingCases(t, r, "AddWorkingHours", r.AddWorkingHours, cases)
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	r := DefaultRules()
	cases := []workingCase{
		{"one day from monday", cst(2026, 11, 23, 10, 0), 1, cst(2026, 11, 24, 18, 0)},
		{"five days from monday", cst(2026, 11, 23, 10, 0), 5, cst(2026, 11, 30, 18, 0)},
		{"the hour does not matter", cst(2026, 11, 23, 23, 59), 5, cst(2026, 11, 30, 18, 0)},
		{"from saturday", cst(2026, 11, 28, 10, 0), 5, cst(2026, 12, 4, 18, 0)},
		{"over 春节 and both make-up saturdays", cst(2026, 2, 12, 10, 0), 5, cst(2026, 2, 26, 18, 0)},
		{"the make-up saturday counts", cst(2026, 2, 13, 10, 0), 1, cst(2026, 2, 14, 18, 0)},
		{"from inside 春节", cst(2026, 2, 18, 10, 0), 5, cst(2026, 2, 28, 18, 0)},
		{"over 国庆", cst(2026, 9, 29, 10, 0), 5, cst(2026, 10, 12, 18, 0)},
		{"year end", cst(2026, 12, 29, 10, 0), 5, cst(2027, 1, 6, 18, 0)},
		{"into a year without data", cst(2027, 12, 30, 10, 0), 2, cst(2028, 1, 3, 18, 0)},
		{"zero is the assign deadline", cst(2026, 11, 27, 19, 0), 0, cst(2026, 11, 30, 18, 0)},
	}
	runWorkingCases(t, r, "AddWorkingDays", r.AddWorkingDays, cases)
}

// The deadlines follow the rules' zone, and in a zone with daylight saving they keep the
// office's wall-clock hours on the days the clocks change.
func TestWorkingTimeZones(t *testing.T) {
	t.Parallel()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	fixed, named := DefaultRules(), DefaultRules()
	named.Location = shanghai
	for _, at := range []time.Time{cst(2026, 2, 13, 15, 0), cst(2026, 12, 31, 17, 0), cst(2026, 11, 28, 3, 0)} {
		if a, b := fixed.AcceptDeadline(at, ""), named.AcceptDeadline(at, ""); !a.Equal(b) {
			t.Errorf("accept deadline from %v: CST %v, Asia/Shanghai %v", at, a, b)
		}
		if a, b := fixed.HandleDeadline(at, ""), named.HandleDeadline(at, ""); !a.Equal(b) {
			t.Errorf("handle deadline from %v: CST %v, Asia/Shanghai %v", at, a, b)
		}
	}

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	r := DefaultRules()
	r.Location, r.Calendar = berlin, nil
	// clocks went forward at 2:00 on Sunday 29 March 2026 and back at 3:00 on 25 October
	fri := time.Date(2026, 3, 27, 17, 0, 0, 0, berlin)
	if got, want := r.AddWorkingHours(fri, 2), time.Date(2026, 3, 30, 10, 0, 0, 0, berlin); !got.Equal(want) {
		t.Errorf("over the spring change: %v, want %v", got.In(berlin), want)
	}
	if got, want := r.AddWorkingDays(time.Date(2026, 10, 23, 12, 0, 0, 0, berlin), 1), time.Date(2026, 10, 26, 18, 0, 0, 0, berlin); !got.Equal(want) {
		t.Errorf("over the autumn change: %v, want %v", got.In(berlin), want)
	}
}

func TestCategoryDeadlines(t *testing.T) {
	t.Parallel()
	r := DefaultRules().WithRefs(nil, []Category{
		{Code: "safety", AcceptHours: 2, HandleDays: 1},
		{Code: "env", HandleDays: 10},
		{Code: "other"},
	})
	at := cst(2026, 11, 23, 10, 0)
	cases := []struct {
		cat            string
		accept, handle time.Time
	}{
		{"safety", cst(2026, 11, 23, 12, 0), cst(2026, 11, 24, 18, 0)},
		{"env", cst(2026, 11, 24, 10, 0), cst(2026, 12, 7, 18, 0)},
		{"other", cst(2026, 11, 24, 10, 0), cst(2026, 11, 30, 18, 0)},
		{"unknown", cst(2026, 11, 24, 10, 0), cst(2026, 11, 30, 18, 0)},
	}
	for _, c := range cases {
		if got := r.AcceptDeadline(at, c.cat); !got.Equal(c.accept) {
			t.Errorf("%s accept: %v, want %v", c.cat, got.In(r.Location), c.accept)
		}
		if got := r.HandleDeadline(at, c.cat); !got.Equal(c.handle) {
			t.Errorf("%s handle: %v, want %v", c.cat, got.In(r.Location), c.handle)
		}
	}
	sub := Case{State: StateSubmitted, Category: "safety", SubmittedAt: at}
	if Overdue(sub, cst(2026, 11, 23, 12, 0), r) || !Overdue(sub, cst(2026, 11, 23, 12, 1), r) {
		t.Errorf("a safety case is overdue two working hours after submission")
	}
	if DefaultRules().Key() == r.Key() {
		t.Errorf("category deadlines do not change the rules' key")
	}
}

func TestCalendarEdits(t *testing.T) {
	t.Parallel()
	base := DefaultRules()
	// an admin adds a holiday on Tuesday 24 November 2026 and makes Saturday 28th a workday
	edited := base.WithRefs([]CalendarYear{{Year: 2026,
		Holidays: []CalendarDay{{Date: "2026-11-24", Name: "区运动会"}},
		Workdays: []CalendarDay{{Date: "2026-11-28", Name: "补班"}},
	}}, nil)
	at := cst(2026, 11, 23, 10, 0)
	if got, want := edited.AcceptDeadline(at, ""), cst(2026, 11, 25, 10, 0); !got.Equal(want) {
		t.Errorf("accept over the added holiday: %v, want %v", got.In(base.Location), want)
	}
	if got, want := edited.HandleDeadline(at, ""), cst(2026, 11, 30, 18, 0); !got.Equal(want) {
		// 25, 26, 27, 28 (make-up), 30
		t.Errorf("handle over the edits: %v, want %v", got.In(base.Location), want)
	}
	// the edited year replaces the shipped one entirely: 国庆 is gone from it
	if !edited.IsWorkingDay(cst(2026, 10, 8, 10, 0)) || !edited.IsWorkingDay(cst(2026, 10, 2, 10, 0)) {
		t.Errorf("the edited 2026 still has the shipped holidays")
	}
	// other years keep the shipped data
	if edited.IsWorkingDay(cst(2027, 1, 1, 10, 0)) {
		t.Errorf("the shipped 2027 was lost")
	}
	if base.Key() == edited.Key() {
		t.Errorf("a calendar edit does not change the rules' key")
	}
	var none *Calendar
	if !none.IsWorkingDay(2026, 10, 1) || none.IsWorkingDay(2026, 10, 4) {
		t.Errorf("a nil calendar counts weekdays only")
	}
}

func TestEmbeddedCalendar(t *testing.T) {
	t.Parallel()
	years := EmbeddedCalendarYears()
	if len(years) != 2 || years[0].Year != 2026 || years[1].Year != 2027 {
		t.Fatalf("shipped years: %+v", years)
	}
	count := map[string]int{}
	for _, d := range years[0].Holidays {
		count[d.Name]++
	}
	// the 2026 notice: 元旦 3, 春节 9, 清明 3, 劳动节 5, 端午 3, 中秋 3, 国庆 7 days, 6 make-up days
	want := map[string]int{"元旦": 3, "春节": 9, "清明节": 3, "劳动节": 5, "端午节": 3, "中秋节": 3, "国庆节": 7}
	for name, n := range want {
		if count[name] != n {
			t.Errorf("2026 %s: %d days, want %d", name, count[name], n)
		}
	}
	if len(years[0].Workdays) != 6 || years[0].Provisional {
		t.Errorf("2026 make-up days %d, provisional %v", len(years[0].Workdays), years[0].Provisional)
	}
	for _, y := range years {
		for _, d := range y.Workdays {
			day, err := time.Parse(time.DateOnly, d.Date)
			if err != nil || day.Year() != y.Year || (day.Weekday() != time.Saturday && day.Weekday() != time.Sunday) {
				t.Errorf("%d make-up day %s is not a weekend day of the year", y.Year, d.Date)
			}
		}
		for _, d := range y.Holidays {
			if day, err := time.Parse(time.DateOnly, d.Date); err != nil || day.Year() != y.Year || d.Name == "" {
				t.Errorf("%d holiday %+v", y.Year, d)
			}
		}
	}
	if !years[1].Provisional || len(years[1].Workdays) != 0 {
		t.Errorf("2027 is shipped as provisional fixed-date holidays only: %+v", years[1])
	}
	years[0].Holidays = nil // a copy: the shipped data cannot be changed through it
	if DefaultCalendar().IsWorkingDay(2026, 10, 1) {
		t.Errorf("the shipped calendar changed through EmbeddedCalendarYears")
	}
}

// The deadlines of a case are computed for every case the board or the desk recounts.
func BenchmarkDeadlines(b *testing.B) {
	r := DefaultRules()
	at := cst(2026, 9, 28, 16, 30) // into the 国庆 break
	for b.Loop() {
		_ = r.AcceptDeadline(at, "")
		_ = r.HandleDeadline(at, "")
		_ = r.AssignDeadline(at)
	}
}
