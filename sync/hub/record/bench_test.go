package record

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"liaison/sync/domain"
)

// streetYear is a year of a street's acts: 30 representatives, about 20,000 events — 2,400
// cases (submitted, claimed, replied to, assigned, answered, rated), duty sign-ins, reception
// records and activity check-ins.
func streetYear(tb testing.TB) []domain.Event {
	l := &log{t: &testing.T{}}
	rng := rand.New(rand.NewPCG(1, 2))
	rep := func() string { return fmt.Sprintf("R%02d", rng.IntN(30)) }
	start := time.Date(2026, 1, 1, 9, 0, 0, 0, cst)
	for i := range 2400 {
		id := fmt.Sprintf("case-%05d", i)
		at := start.Add(time.Duration(i) * 3 * time.Hour)
		r := rep()
		l.submit(id, at)
		l.add(id, domain.KindCaseAccepted, at.Add(time.Hour), domain.Actor{Role: domain.RoleRepresentative, ID: r}, domain.CaseAccepted{RepID: r})
		l.add(id, domain.KindCaseProgress, at.Add(time.Duration(rng.IntN(48))*time.Hour+time.Hour), domain.Actor{Role: domain.RoleRepresentative, ID: r},
			domain.CaseNote{Note: "已收到，正在了解情况", ToResident: true})
		rating := []domain.Rating{domain.RatingSatisfied, domain.RatingBasically, domain.RatingUnsatisfied}[rng.IntN(3)]
		l.handle(id, at.Add(72*time.Hour), rating)
	}
	for i := range 2400 {
		r := rep()
		l.add("duty:HX01:"+r, domain.KindDutySignedIn, start.Add(time.Duration(i)*3*time.Hour), domain.Actor{Role: domain.RoleRepresentative, ID: r}, domain.DutySign{RepID: r})
	}
	for i := range 1200 {
		r := rep()
		l.add("reception", domain.KindReceptionLogged, start.Add(time.Duration(i)*7*time.Hour), domain.Actor{Role: domain.RoleRepresentative, ID: r},
			domain.Reception{RepID: r, Topic: "物业"})
		a := fmt.Sprintf("A%03d", i/10)
		l.add("activity:"+a, domain.KindActivityCheckedIn, start.Add(time.Duration(i)*7*time.Hour), domain.Actor{Role: domain.RoleRepresentative, ID: r},
			domain.ActivityCheckIn{ActivityID: a, PersonID: r})
	}
	if len(l.evs) < 20000 {
		tb.Fatalf("%d events", len(l.evs))
	}
	return l.evs
}

// BenchmarkScoreYear scores a street's year: every representative's record from ~20,000
// events.
func BenchmarkScoreYear(b *testing.B) {
	evs := streetYear(b)
	in := Input{Events: evs, Rules: DefaultRules(), Period: YearPeriod(2026, cst), Location: cst, CaseRules: domain.DefaultRules()}
	b.ReportMetric(float64(len(evs)), "events")
	b.ResetTimer()
	for b.Loop() {
		if recs := Score(in); len(recs) != 30 {
			b.Fatalf("%d records", len(recs))
		}
	}
}
