package record

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"liaison/sync/domain"
)

var cst = time.FixedZone("CST", 8*3600)

// log builds events in hub order.
type log struct {
	t   *testing.T
	evs []domain.Event
}

func (l *log) add(stream string, kind domain.Kind, at time.Time, actor domain.Actor, data any) {
	l.t.Helper()
	b, err := json.Marshal(data)
	if err != nil {
		l.t.Fatal(err)
	}
	n := len(l.evs) + 1
	l.evs = append(l.evs, domain.Event{ID: fmt.Sprintf("ev-%05d", n), Device: "k1", DevSeq: int64(n),
		Station: "HX01", Stream: stream, Kind: kind, At: at.UTC(), Actor: actor, Data: b, HubSeq: int64(n)})
}

func rep(id string) domain.Actor {
	return domain.Actor{Role: domain.RoleRepresentative, ID: id, Name: "代表" + id}
}

var (
	resident = domain.Actor{Role: domain.RoleResident, ID: "res-1", Name: "张*"}
	staff    = domain.Actor{Role: domain.RoleStaff, ID: "wang", Name: "王工"}
	dept     = domain.Actor{Role: domain.RoleDepartment, ID: "D01", Name: "城管科"}
)

// submit opens a case at t.
func (l *log) submit(id string, t time.Time) {
	l.add(id, domain.KindCaseSubmitted, t, resident, domain.CaseSubmitted{Number: "N-" + id, Token: "tok" + id,
		Category: "env", Text: "路灯坏了很久了", Community: "C1", ResidentID: "res-1", SurnameMask: "张*"})
}

// handle takes a claimed case through to the resident's rating and the close.
func (l *log) handle(id string, t time.Time, rating domain.Rating) {
	l.add(id, domain.KindCaseAssigned, t, staff, domain.CaseAssigned{DeptCode: "D01", DeptName: "城管科", Due: t.Add(240 * time.Hour)})
	l.add(id, domain.KindCaseReplied, t.Add(time.Hour), dept, domain.CaseReplied{Reply: "已修好"})
	l.add(id, domain.KindCaseRated, t.Add(2*time.Hour), resident, domain.CaseRated{Rating: rating})
	if rating != domain.RatingUnsatisfied {
		l.add(id, domain.KindCaseClosed, t.Add(3*time.Hour), staff, domain.CaseNote{Note: "办结"})
	}
}

func day(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, cst) }

func score(t *testing.T, evs []domain.Event, rules Rules, period string) map[string]*Record {
	t.Helper()
	p, err := ParsePeriod(period, cst)
	if err != nil {
		t.Fatal(err)
	}
	return Score(Input{Events: evs, Rules: rules, Period: p, Location: cst, CaseRules: domain.DefaultRules()})
}

func total(r *Record, a Act) Total {
	for _, t := range r.Totals {
		if t.Act == a {
			return t
		}
	}
	return Total{}
}

// street makes the acts of two representatives in March and April 2026.
func street(t *testing.T) []domain.Event {
	l := &log{t: t}
	// R1: duty on 3 days in March (twice on the 2nd: one day), one in April
	for _, d := range []int{2, 2, 3, 4} {
		l.add("duty:HX01", domain.KindDutySignedIn, day(3, d, 9), rep("R1"), domain.DutySign{RepID: "R1", Badge: "B1", Nonce: fmt.Sprint(d)})
	}
	l.add("duty:HX01", domain.KindDutySignedIn, day(4, 1, 9), rep("R1"), domain.DutySign{RepID: "R1", Badge: "B1", Nonce: "a"})
	// case A: R1 claims, replies in 2 h (on time), satisfied and closed
	l.submit("A", day(3, 2, 8))
	l.add("A", domain.KindCaseAccepted, day(3, 2, 9), rep("R1"), domain.CaseAccepted{RepID: "R1", RepName: "代表R1"})
	l.add("A", domain.KindCaseProgress, day(3, 2, 10), rep("R1"), domain.CaseNote{Note: "已收到，正在联系", ToResident: true})
	l.add("A", domain.KindCaseProgress, day(3, 2, 11), rep("R1"), domain.CaseNote{Note: "第二次答复", ToResident: true})
	l.handle("A", day(3, 5, 9), domain.RatingSatisfied)
	// case B: R1 claims first, R2's offline claim loses (co-handler); R2 replies after 30 h
	l.submit("B", day(3, 10, 8))
	l.add("B", domain.KindCaseAccepted, day(3, 10, 9), rep("R1"), domain.CaseAccepted{RepID: "R1"})
	l.add("B", domain.KindCaseAccepted, day(3, 10, 9), rep("R2"), domain.CaseAccepted{RepID: "R2"})
	l.add("B", domain.KindCaseCoHandler, day(3, 10, 10), domain.Actor{Role: domain.RoleSystem, ID: "hub"}, domain.CaseCoHandler{RepID: "R2", Reason: "先到先得"})
	l.add("B", domain.KindCaseProgress, day(3, 11, 14), rep("R2"), domain.CaseNote{Note: "协办答复", ToResident: true})
	// a progress note not to the resident is no reply
	l.add("B", domain.KindCaseProgress, day(3, 11, 9), rep("R1"), domain.CaseNote{Note: "内部备注"})
	l.handle("B", day(4, 2, 9), domain.RatingBasically)
	// case C: staff accept it for R2 (no claim by a representative): nothing for R2 when it closes
	l.submit("C", day(3, 12, 8))
	l.add("C", domain.KindCaseAccepted, day(3, 12, 9), staff, domain.CaseAccepted{RepID: "R2", RepName: "代表R2"})
	l.handle("C", day(3, 13, 9), domain.RatingSatisfied)
	// activity: R2 checks in twice at one activity and once at another; a resident's check-in is no act
	for _, a := range []string{"act-1", "act-1", "act-2"} {
		l.add("activity:"+a, domain.KindActivityCheckedIn, day(3, 20, 9), rep("R2"), domain.ActivityCheckIn{ActivityID: a, PersonID: "R2", Via: "kiosk-badge"})
	}
	l.add("activity:act-1", domain.KindActivityCheckedIn, day(3, 20, 9), resident, domain.ActivityCheckIn{ActivityID: "act-1", PersonID: "res-1", Via: "kiosk-card"})
	// receptions: R2 logs 12 in March (capped at 10 points by default)
	for i := range 12 {
		l.add("reception:HX01", domain.KindReceptionLogged, day(3, 21, 9).Add(time.Duration(i)*time.Minute), rep("R2"),
			domain.Reception{RepID: "R2", SurnameMask: "李*", Community: "C1", Topic: "停车", Outcome: "已解释"})
	}
	return l.evs
}

func TestScoreMarch(t *testing.T) {
	t.Parallel()
	recs := score(t, street(t), DefaultRules(), "2026-03")
	r1, r2 := recs["R1"], recs["R2"]
	if r1 == nil || r2 == nil || len(recs) != 2 {
		t.Fatalf("records: %v", recs)
	}
	// R1: duty 3 days × 2, claims A and B × 3, one on-time reply × 2, A handled × 3, A satisfied × 2
	want1 := map[Act][2]int{ActDuty: {3, 6}, ActClaim: {2, 6}, ActReplyOnTime: {1, 2}, ActHandled: {1, 3},
		ActRatedSatisfied: {1, 2}}
	for _, a := range Acts() {
		got := total(r1, a)
		if w := want1[a]; got.Count != w[0] || got.Points != w[1] {
			t.Errorf("R1 %s: %+v, want count %d points %d", a, got, w[0], w[1])
		}
	}
	if r1.Points != 19 || r1.Stars != 3 || r1.Replies != 1 || r1.RepliesOnTime != 1 || r1.AvgReplyMinutes != 120 {
		t.Errorf("R1: points %d stars %d replies %d/%d avg %d, want 19, 3 (a month's thresholds 3, 7, 13, 21, 34), 1/1, 120",
			r1.Points, r1.Stars, r1.RepliesOnTime, r1.Replies, r1.AvgReplyMinutes)
	}
	// R2: co-handler 1, late reply 0 points, two activities × 2, receptions 12 capped at 10
	if got := total(r2, ActReception); got.Count != 12 || got.Raw != 12 || got.Points != 10 {
		t.Errorf("R2 receptions: %+v, want 12 acts, raw 12, capped 10", got)
	}
	if got := total(r2, ActActivity); got.Count != 2 || got.Points != 4 {
		t.Errorf("R2 activities: %+v, want 2 for 4", got)
	}
	if got := total(r2, ActReplyLate); got.Count != 1 || got.Points != 0 {
		t.Errorf("R2 late replies: %+v", got)
	}
	if r2.Points != 1+4+10 || r2.Replies != 1 || r2.RepliesOnTime != 0 || r2.AvgReplyMinutes != 30*60 {
		t.Errorf("R2: points %d, replies %d/%d, avg %d; want 15, 0/1, 1800", r2.Points, r2.RepliesOnTime, r2.Replies, r2.AvgReplyMinutes)
	}
	if got := total(r2, ActClaim); got.Count != 0 {
		t.Errorf("R2's losing claim and the staff's acceptance scored as claims: %+v", got)
	}
	late := r2.Entries[slicesIndex(r2.Entries, ActReplyLate)]
	if late.DelayMinutes != 30*60 || late.CaseNumber != "N-B" {
		t.Errorf("late reply entry: %+v", late)
	}
}

func slicesIndex(es []Entry, a Act) int {
	for i, e := range es {
		if e.Act == a {
			return i
		}
	}
	return -1
}

func TestScoreYearCapsPerMonthAndStars(t *testing.T) {
	t.Parallel()
	recs := score(t, street(t), DefaultRules(), "2026")
	r1 := recs["R1"]
	// April adds a duty day (2) and B's close (3) and basic satisfaction (1) to March's 19
	if r1.Points != 25 || total(r1, ActHandled).Count != 2 || total(r1, ActDuty).Count != 4 {
		t.Fatalf("R1 2026: %d points, %+v", r1.Points, r1.Totals)
	}
	if r1.Stars != 0 {
		t.Errorf("R1 2026: %d stars at 25 points, the first star is at 30", r1.Stars)
	}
	q2 := score(t, street(t), DefaultRules(), "2026-Q2")["R1"]
	if q2.Points != 6 || q2.Stars != 0 {
		t.Errorf("R1 2026-Q2: %d points %d stars, want 6 and 0 (quarter threshold 8)", q2.Points, q2.Stars)
	}
}

func TestRescoreAfterRuleChange(t *testing.T) {
	t.Parallel()
	evs := street(t)
	rules := DefaultRules()
	for i := range rules.Acts {
		switch rules.Acts[i].Act {
		case ActClaim:
			rules.Acts[i].Points = 10
		case ActReception:
			rules.Acts[i].Cap = 0
		case ActReplyLate:
			rules.Acts[i].Points = -3
		}
	}
	rules.CapPeriod = CapYear
	rules.Stars = []int{12, 24}
	recs := score(t, evs, rules, "2026-03")
	if r1 := recs["R1"]; r1.Points != 19-6+20 || r1.Stars != 2 {
		t.Errorf("R1 rescored: %d points %d stars, want 33 and 2", r1.Points, r1.Stars)
	}
	if r2 := recs["R2"]; r2.Points != 1-3+4+12 || total(r2, ActReception).Points != 12 {
		t.Errorf("R2 rescored: %d points, receptions %+v; want 14 and uncapped 12", r2.Points, total(r2, ActReception))
	}
}

func TestCapOfPenalty(t *testing.T) {
	t.Parallel()
	l := &log{t: t}
	for i, id := range []string{"P", "Q", "S"} {
		l.submit(id, day(5, 1+i, 8))
		l.add(id, domain.KindCaseAccepted, day(5, 1+i, 9), rep("R3"), domain.CaseAccepted{RepID: "R3"})
		l.handle(id, day(5, 2+i, 9), domain.RatingUnsatisfied)
	}
	rules := DefaultRules()
	for i := range rules.Acts {
		if rules.Acts[i].Act == ActRatedUnsatisfied {
			rules.Acts[i].Points, rules.Acts[i].Cap = -4, 10
		}
	}
	r := score(t, l.evs, rules, "2026-05")["R3"]
	if got := total(r, ActRatedUnsatisfied); got.Count != 3 || got.Raw != -12 || got.Points != -10 {
		t.Errorf("penalties: %+v, want 3, raw -12, capped -10", got)
	}
	if r.Points != 9-10 || total(r, ActHandled).Count != 0 {
		t.Errorf("R3: %d points, handled %+v; want -1 and no handled case (reopened, not closed)", r.Points, total(r, ActHandled))
	}
}

func TestCheckRules(t *testing.T) {
	t.Parallel()
	if p := DefaultRules().Check(); len(p) != 0 {
		t.Fatalf("default rules: %v", p)
	}
	for name, tc := range map[string]struct {
		edit func(*Rules)
		code string
	}{
		"points":     {func(r *Rules) { r.Acts[0].Points = 101 }, domain.CodeRecordPoints},
		"cap":        {func(r *Rules) { r.Acts[1].Cap = -1 }, domain.CodeRecordCap},
		"missing":    {func(r *Rules) { r.Acts = r.Acts[1:] }, domain.CodeRecordActs},
		"twice":      {func(r *Rules) { r.Acts[1].Act = r.Acts[0].Act }, domain.CodeRecordActs},
		"unknown":    {func(r *Rules) { r.Acts[0].Act = "bribe" }, domain.CodeRecordActs},
		"cap period": {func(r *Rules) { r.CapPeriod = "week" }, domain.CodeRecordCapPeriod},
		"stars down": {func(r *Rules) { r.Stars = []int{10, 5} }, domain.CodeRecordStars},
		"no stars":   {func(r *Rules) { r.Stars = nil }, domain.CodeRecordStars},
		"six stars":  {func(r *Rules) { r.Stars = []int{1, 2, 3, 4, 5, 6} }, domain.CodeRecordStars},
	} {
		r := DefaultRules()
		tc.edit(&r)
		p := r.Check()
		if len(p) != 1 || p[0].Code != tc.code {
			t.Errorf("%s: %v, want one %s", name, p, tc.code)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][3]string{
		"2026":    {"2026", "2026-01-01", "2027-01-01"},
		"2026-q2": {"2026-Q2", "2026-04-01", "2026-07-01"},
		"2026-12": {"2026-12", "2026-12-01", "2027-01-01"},
	} {
		p, err := ParsePeriod(in, cst)
		if err != nil || p.Key != want[0] || p.From.Format("2006-01-02") != want[1] || p.To.Format("2006-01-02") != want[2] {
			t.Errorf("%s: %+v %v", in, p, err)
		}
	}
	for _, bad := range []string{"", "26", "2026-13", "2026-Q5", "2026-1", "1999", "2026-05-01", "abcd"} {
		if _, err := ParsePeriod(bad, cst); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}
