package record

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"liaison/sync/domain"
)

// Entry is one act of a representative that scores.
type Entry struct {
	Act     Act       `json:"act"`
	At      time.Time `json:"at"`
	Points  int       `json:"points"` // what the rules make it worth, before the caps
	Station string    `json:"station"`
	// The case of a claim, a reply, a handled case or a rating.
	CaseID     string `json:"case_id,omitempty"`
	CaseNumber string `json:"case_number,omitempty"`
	// Activity is the activity of a check-in.
	Activity string `json:"activity,omitempty"`
	// DelayMinutes is a first reply's time since the case's submission.
	DelayMinutes int `json:"delay_minutes,omitempty"`
}

// Total is one kind of act in a record.
type Total struct {
	Act    Act `json:"act"`
	Count  int `json:"count"`
	Raw    int `json:"raw"`    // the acts' points before the caps
	Points int `json:"points"` // after the caps
}

// Record is a representative's scored work in a period.
type Record struct {
	RepID  string  `json:"rep_id"`
	Points int     `json:"points"`
	Stars  int     `json:"stars"`
	Totals []Total `json:"totals"` // every act, in Acts() order
	// Replies are the first replies, OnTime those within ReplyTarget; AvgReplyMinutes is
	// their mean delay (0 without replies).
	Replies         int     `json:"replies"`
	RepliesOnTime   int     `json:"replies_on_time"`
	AvgReplyMinutes int     `json:"avg_reply_minutes"`
	Entries         []Entry `json:"entries"` // by time
}

// Input is what Score needs.
type Input struct {
	// Events are the log's events that may hold acts of the period, in hub order: duty
	// sign-ins, reception records and activity check-ins of the period, and every event of
	// each case stream with a claim, a co-handler, a progress note, a rating or a close in it.
	Events []domain.Event
	Rules  Rules
	Period Period
	// Location is the stations' zone: days of duty and cap windows are counted in it.
	Location *time.Location
	// CaseRules fold the cases (domain.Fold); their deadlines do not change what scores.
	CaseRules domain.Rules
}

// Score computes the records of every representative with an act in the period. A
// representative without one has no record (their zero record is Empty).
func Score(in Input) map[string]*Record {
	loc := in.Location
	if loc == nil {
		loc = time.UTC
	}
	var entries []repEntry
	streams := map[string][]domain.Event{}
	var order []string
	dutyDays := map[string]bool{}
	attended := map[string]bool{}
	for _, ev := range in.Events {
		if ev.Kind.IsCase() {
			if _, ok := streams[ev.Stream]; !ok {
				order = append(order, ev.Stream)
			}
			streams[ev.Stream] = append(streams[ev.Stream], ev)
			continue
		}
		if !in.Period.Contains(ev.At) {
			continue
		}
		switch ev.Kind {
		case domain.KindDutySignedIn:
			var p domain.DutySign
			rep := cmp.Or(payload(ev, &p).RepID, repActor(ev))
			key := rep + "/" + ev.At.In(loc).Format("2006-01-02")
			if rep == "" || dutyDays[key] {
				continue
			}
			dutyDays[key] = true
			entries = append(entries, repEntry{rep, Entry{Act: ActDuty, At: ev.At, Station: ev.Station}})
		case domain.KindReceptionLogged:
			var p domain.Reception
			rep := cmp.Or(payload(ev, &p).RepID, repActor(ev))
			if rep == "" {
				continue
			}
			entries = append(entries, repEntry{rep, Entry{Act: ActReception, At: ev.At, Station: ev.Station,
				CaseID: p.CaseID, CaseNumber: p.CaseNumber}})
		case domain.KindActivityCheckedIn:
			var p domain.ActivityCheckIn
			payload(ev, &p)
			// a representative checks in with their badge: the person is the representative
			rep := repActor(ev)
			if rep == "" || p.PersonID != rep || attended[rep+"/"+p.ActivityID] {
				continue
			}
			attended[rep+"/"+p.ActivityID] = true
			entries = append(entries, repEntry{rep, Entry{Act: ActActivity, At: ev.At, Station: ev.Station,
				Activity: p.ActivityID}})
		}
	}
	for _, s := range order {
		entries = append(entries, caseActs(streams[s], in)...)
	}
	return tally(entries, in.Rules, in.Period, loc)
}

type repEntry struct {
	rep string
	e   Entry
}

func payload[T any](ev domain.Event, v *T) *T {
	_ = json.Unmarshal(ev.Data, v) // a payload that does not decode names nobody
	return v
}

func repActor(ev domain.Event) string {
	if ev.Actor.Role == domain.RoleRepresentative {
		return ev.Actor.ID
	}
	return ""
}

// caseActs folds one case's events and returns the acts of the period in it: effective
// claims by representatives, co-handlers, each representative's first reply to the resident,
// the case reaching closed when a representative claimed it, and the ratings of such a case.
func caseActs(evs []domain.Event, in Input) []repEntry {
	var out []repEntry
	var c domain.Case
	claimed := map[string]bool{} // representatives who claimed the case themselves
	replied := map[string]bool{}
	closed := false
	for _, ev := range evs {
		next, err := domain.Transition(c, ev, in.CaseRules)
		if err != nil {
			continue // recorded without effect: it scores nothing
		}
		prev := c
		c = next
		base := Entry{At: ev.At, Station: ev.Station, CaseID: c.ID, CaseNumber: c.Number}
		add := func(rep string, a Act) {
			if rep != "" && in.Period.Contains(ev.At) {
				e := base
				e.Act = a
				out = append(out, repEntry{rep, e})
			}
		}
		// a case reaches closed by a satisfied rating, a close, or the hub's close after the
		// rating window; reopened and closed again, it is still one handled case
		if !closed && c.State == domain.StateClosed {
			closed = true
			if claimed[c.RepID] {
				add(c.RepID, ActHandled)
			}
		}
		switch ev.Kind {
		case domain.KindCaseAccepted:
			if rep := repActor(ev); rep != "" {
				claimed[rep] = true
				add(rep, ActClaim)
			}
		case domain.KindCaseCoHandler:
			var p domain.CaseCoHandler
			add(payload(ev, &p).RepID, ActCoHandle)
		case domain.KindCaseProgress:
			rep := repActor(ev)
			if !domain.IsResidentReply(ev) || replied[rep] {
				continue
			}
			replied[rep] = true
			delay := ev.At.Sub(prev.SubmittedAt)
			a := ActReplyOnTime
			if delay > ReplyTarget {
				a = ActReplyLate
			}
			base.DelayMinutes = int(max(0, delay) / time.Minute)
			add(rep, a)
		case domain.KindCaseRated:
			if !claimed[prev.RepID] {
				continue
			}
			switch c.Rating {
			case domain.RatingSatisfied:
				add(prev.RepID, ActRatedSatisfied)
			case domain.RatingBasically:
				add(prev.RepID, ActRatedBasically)
			case domain.RatingUnsatisfied:
				add(prev.RepID, ActRatedUnsatisfied)
			}
		}
	}
	return out
}

// tally prices the entries, caps each kind per cap window and sums the records.
func tally(entries []repEntry, rules Rules, period Period, loc *time.Location) map[string]*Record {
	type window struct {
		rep string
		act Act
		key string
	}
	sums := map[window]int{}
	recs := map[string]*Record{}
	var delays = map[string]time.Duration{}
	for _, re := range entries {
		r := recs[re.rep]
		if r == nil {
			r = Empty(re.rep)
			recs[re.rep] = r
		}
		e := re.e
		e.Points = rules.rule(e.Act).Points
		r.Entries = append(r.Entries, e)
		sums[window{re.rep, e.Act, capKey(rules.CapPeriod, e.At, loc)}] += e.Points
		t := &r.Totals[slices.Index(Acts(), e.Act)]
		t.Count++
		t.Raw += e.Points
		if e.Act == ActReplyOnTime || e.Act == ActReplyLate {
			r.Replies++
			if e.Act == ActReplyOnTime {
				r.RepliesOnTime++
			}
			delays[re.rep] += time.Duration(e.DelayMinutes) * time.Minute
		}
	}
	for w, sum := range sums {
		if c := rules.rule(w.act).Cap; c > 0 {
			sum = max(-c, min(c, sum))
		}
		r := recs[w.rep]
		r.Totals[slices.Index(Acts(), w.act)].Points += sum
		r.Points += sum
	}
	for rep, r := range recs {
		r.Stars = rules.StarsFor(r.Points, period.Months)
		if r.Replies > 0 {
			r.AvgReplyMinutes = int(delays[rep] / time.Minute / time.Duration(r.Replies))
		}
		slices.SortStableFunc(r.Entries, func(a, b Entry) int { return a.At.Compare(b.At) })
	}
	return recs
}

// Empty is the record of a representative with no act in the period.
func Empty(rep string) *Record {
	r := &Record{RepID: rep, Entries: []Entry{}}
	for _, a := range Acts() {
		r.Totals = append(r.Totals, Total{Act: a})
	}
	return r
}
