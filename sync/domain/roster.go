package domain

import (
	"encoding/json"
	"time"
)

// Roster is who takes part in one activity, folded from the activity's stream in log order:
// its reference item (ref.activity, which carries the capacity and the sign-up window), the
// sign-ups and cancellations, and the hub's answers (activity.signup_status). The hub alone
// decides places; it folds the stream after every change and records the answers that differ
// from what it last said (Unsaid), so replaying the log gives the same places.
//
// Sign-ups get a place in the order they reach the hub while there is room, and wait in that
// order after. A place freed by a cancellation goes to the first waiter; a raised capacity
// promotes waiters the same way; a lowered one never takes a place away, it only keeps new
// people waiting until enough places have freed. A capacity of 0 means no limit. A sign-up to
// a cancelled activity, or one made outside the sign-up window, is answered as cancelled with
// the reason. A repeat sign-up of someone who takes part changes nothing.
type Roster struct {
	// Activity is the activity as of the last ref.activity folded; Known is false before it.
	Activity Activity
	Known    bool

	seated  []string          // people with a place, in the order they got it
	waiting []string          // the waitlist, first in line first
	ended   map[string]string // people no longer taking part: the reason code, "" for their own cancel
	latest  map[string]string // each person's latest sign-up or cancellation event id
	told    map[string]SignUpStatus
	people  []string // everyone seen, in first-seen order
}

// NewRoster returns an empty roster.
func NewRoster() *Roster {
	return &Roster{ended: map[string]string{}, latest: map[string]string{}, told: map[string]SignUpStatus{}}
}

// FoldRoster folds an activity's stream events, in log order, into a new roster.
func FoldRoster(evs []Event) *Roster {
	r := NewRoster()
	for _, ev := range evs {
		r.Fold(ev)
	}
	return r
}

// RosterKinds are the kinds a roster folds; the others of the stream (check-ins) it ignores.
var RosterKinds = []Kind{KindActivityUpserted, KindActivitySignedUp, KindActivitySignUpCancelled, KindActivitySignUpStatus}

// SignUpWindow returns when sign-ups to the activity open and close: SignUpOpens (zero: no
// lower bound) and SignUpCloses (zero: the start).
func SignUpWindow(a Activity) (opens, closes time.Time) {
	closes = a.SignUpCloses
	if closes.IsZero() {
		closes = a.Starts
	}
	return a.SignUpOpens, closes
}

// SignUpRefusal is the code of why a sign-up at time at is not taken: the activity is
// cancelled, or at is outside the sign-up window. "" when it is taken.
func SignUpRefusal(a Activity, at time.Time) string {
	opens, closes := SignUpWindow(a)
	switch {
	case a.Cancelled:
		return CodeActivityCancelled
	case !opens.IsZero() && at.Before(opens):
		return CodeSignUpNotOpen
	case !closes.IsZero() && !at.Before(closes):
		return CodeSignUpClosed
	}
	return ""
}

// Fold applies one event of the activity's stream. Malformed payloads are ignored.
func (r *Roster) Fold(ev Event) {
	switch ev.Kind {
	case KindActivityUpserted:
		var a Activity
		if json.Unmarshal(ev.Data, &a) != nil {
			return
		}
		r.Activity, r.Known = a, true
		r.promote()
	case KindActivitySignedUp:
		p, ok := markPerson(ev)
		if !ok {
			return
		}
		r.see(p)
		r.latest[p] = ev.ID
		if r.index(p) != "" {
			return
		}
		if why := SignUpRefusal(r.Activity, ev.At); why != "" {
			r.ended[p] = why
			return
		}
		delete(r.ended, p)
		r.waiting = append(r.waiting, p)
		r.promote()
	case KindActivitySignUpCancelled:
		p, ok := markPerson(ev)
		if !ok {
			return
		}
		r.see(p)
		r.latest[p] = ev.ID
		if _, gone := r.ended[p]; !gone || r.index(p) != "" {
			r.seated, r.waiting = without(r.seated, p), without(r.waiting, p)
			r.ended[p] = ""
			r.promote()
		}
	case KindActivitySignUpStatus:
		var st SignUpStatus
		if json.Unmarshal(ev.Data, &st) != nil || st.PersonID == "" {
			return
		}
		r.see(st.PersonID)
		r.told[st.PersonID] = st
	}
}

func markPerson(ev Event) (string, bool) {
	var p ActivityCheckIn
	if json.Unmarshal(ev.Data, &p) != nil || p.PersonID == "" {
		return "", false
	}
	return p.PersonID, true
}

func (r *Roster) see(p string) {
	if _, ok := r.latest[p]; ok {
		return
	}
	if _, ok := r.told[p]; ok {
		return
	}
	r.people = append(r.people, p)
}

// index says where a person is: "seated", "waiting" or "".
func (r *Roster) index(p string) string {
	for _, q := range r.seated {
		if q == p {
			return "seated"
		}
	}
	for _, q := range r.waiting {
		if q == p {
			return "waiting"
		}
	}
	return ""
}

func without(list []string, p string) []string {
	for i, q := range list {
		if q == p {
			return append(list[:i:i], list[i+1:]...)
		}
	}
	return list
}

// promote gives free places to the first waiters.
func (r *Roster) promote() {
	for len(r.waiting) > 0 && (r.Activity.Capacity <= 0 || len(r.seated) < r.Activity.Capacity) {
		r.seated = append(r.seated, r.waiting[0])
		r.waiting = r.waiting[1:]
	}
}

// Confirmed lists the people with a place, in the order they got it.
func (r *Roster) Confirmed() []string { return append([]string(nil), r.seated...) }

// Waiting lists the waitlist, first in line first.
func (r *Roster) Waiting() []string { return append([]string(nil), r.waiting...) }

// Place returns a person's current answer as the hub decides it, and false for someone who
// never signed up or cancelled.
func (r *Roster) Place(person string) (SignUpStatus, bool) {
	st := SignUpStatus{ActivityID: r.Activity.ID, PersonID: person, Capacity: r.Activity.Capacity,
		Answers: r.latest[person]}
	for _, q := range r.seated {
		if q == person {
			st.Status = SignUpConfirmed
			return st, true
		}
	}
	for i, q := range r.waiting {
		if q == person {
			st.Status, st.Position = SignUpWaitlisted, i+1
			return st, true
		}
	}
	why, ok := r.ended[person]
	if !ok {
		return st, false
	}
	st.Status, st.Reason = SignUpCancelled, why
	return st, true
}

// Told returns the hub's last answer to a person folded so far.
func (r *Roster) Told(person string) (SignUpStatus, bool) {
	st, ok := r.told[person]
	return st, ok
}

// Unsaid returns the answers that differ from what the hub last said to each person, in the
// order people first appeared: the hub records them, and folding them makes Unsaid empty.
// An answer moving a person from the waitlist to a place is marked Promoted.
func (r *Roster) Unsaid() []SignUpStatus {
	var out []SignUpStatus
	for _, p := range r.people {
		now, ok := r.Place(p)
		if !ok {
			continue
		}
		was, said := r.told[p]
		if said && was.Status == now.Status && was.Position == now.Position && was.Reason == now.Reason &&
			was.Answers == now.Answers {
			continue
		}
		now.Promoted = said && was.Status == SignUpWaitlisted && now.Status == SignUpConfirmed &&
			was.Answers == now.Answers
		out = append(out, now)
	}
	return out
}
