package domain

import "time"

// Rates are the board's figures, defined once here and in docs/case-lifecycle.md. They are
// always recomputed from case projections (themselves folded from events), never stored.
// A rate whose denominator is zero is reported as 0; the counts are included so a screen
// can show "—" instead.
type Rates struct {
	Submitted       int `json:"submitted"`        // cases submitted
	AcceptedOnTime  int `json:"accepted_on_time"` // accepted no later than the accept deadline
	AwaitingAccept  int `json:"awaiting_accept"`  // not accepted yet, accept deadline not passed
	EndedUnaccepted int `json:"ended_unaccepted"` // withdrawn or merged before anyone accepted
	Withdrawn       int `json:"withdrawn"`
	Merged          int `json:"merged"`
	Closed          int `json:"closed"` // includes closed unrated
	ClosedUnrated   int `json:"closed_unrated"`
	Rated           int `json:"rated"` // cases with a rating (the latest one counts)
	Satisfied       int `json:"satisfied"`
	Basically       int `json:"basically"`
	Unsatisfied     int `json:"unsatisfied"`
	Open            int `json:"open"`
	Overdue         int `json:"overdue"`

	// Response = AcceptedOnTime ÷ (Submitted − AwaitingAccept − EndedUnaccepted).
	Response float64 `json:"response_rate"`
	// Completion = Closed ÷ (Submitted − Withdrawn − Merged).
	Completion float64 `json:"completion_rate"`
	// Satisfaction = (Satisfied + Basically) ÷ Rated.
	Satisfaction float64 `json:"satisfaction_rate"`
}

// Tally accumulates cases into Rates. It is the incremental form of ComputeRates: a hub can
// keep one per station and Merge them for a district. The zero Tally is ready to use.
type Tally struct {
	r Rates
}

// TallyOf is a tally of counts kept elsewhere (a hub's desk adds them up in SQL): the rates
// of r are ignored and computed again by Rates.
func TallyOf(r Rates) Tally {
	r.Response, r.Completion, r.Satisfaction = 0, 0, 0
	return Tally{r: r}
}

// Add counts one case as of now.
func (t *Tally) Add(c Case, now time.Time, rules Rules) {
	if c.State == StateNew {
		return
	}
	r := &t.r
	r.Submitted++
	accepted := !c.AcceptedAt.IsZero()
	switch {
	case accepted && !c.AcceptedAt.After(rules.AcceptDeadline(c.SubmittedAt, c.Category)):
		r.AcceptedOnTime++
	case !accepted && (c.State == StateWithdrawn || c.State == StateMerged):
		r.EndedUnaccepted++
	case !accepted && !now.After(rules.AcceptDeadline(c.SubmittedAt, c.Category)):
		r.AwaitingAccept++
	}
	switch c.State {
	case StateWithdrawn:
		r.Withdrawn++
	case StateMerged:
		r.Merged++
	case StateClosed:
		r.Closed++
		if c.ClosedUnrated {
			r.ClosedUnrated++
		}
	}
	switch c.Rating {
	case RatingSatisfied:
		r.Rated++
		r.Satisfied++
	case RatingBasically:
		r.Rated++
		r.Basically++
	case RatingUnsatisfied:
		r.Rated++
		r.Unsatisfied++
	}
	if c.Open() {
		r.Open++
	}
	if Overdue(c, now, rules) {
		r.Overdue++
	}
}

// Merge adds another tally's counts to t.
func (t *Tally) Merge(o Tally) {
	a, b := &t.r, o.r
	a.Submitted += b.Submitted
	a.AcceptedOnTime += b.AcceptedOnTime
	a.AwaitingAccept += b.AwaitingAccept
	a.EndedUnaccepted += b.EndedUnaccepted
	a.Withdrawn += b.Withdrawn
	a.Merged += b.Merged
	a.Closed += b.Closed
	a.ClosedUnrated += b.ClosedUnrated
	a.Rated += b.Rated
	a.Satisfied += b.Satisfied
	a.Basically += b.Basically
	a.Unsatisfied += b.Unsatisfied
	a.Open += b.Open
	a.Overdue += b.Overdue
}

// Rates returns the counts with the three rates computed.
func (t *Tally) Rates() Rates {
	r := t.r
	r.Response = ratio(r.AcceptedOnTime, r.Submitted-r.AwaitingAccept-r.EndedUnaccepted)
	r.Completion = ratio(r.Closed, r.Submitted-r.Withdrawn-r.Merged)
	r.Satisfaction = ratio(r.Satisfied+r.Basically, r.Rated)
	return r
}

func ratio(n, d int) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// ComputeRates computes the figures over cases as of now.
func ComputeRates(cases []Case, now time.Time, rules Rules) Rates {
	var t Tally
	for _, c := range cases {
		t.Add(c, now, rules)
	}
	return t.Rates()
}
