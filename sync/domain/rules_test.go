package domain

import (
	"testing"
	"time"
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := r.AssignDeadline(c.at); !got.Equal(c.want) {
				t.Fatalf("AssignDeadline(%v) = %v, want %v", c.at, got, c.want)
			}
		})
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
		mk(StateReopened),  // unsatisfied, on time, overdue (due 7 days after reopen)
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
