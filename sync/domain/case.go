package domain

import (
	"errors"
	"fmt"
	"time"
)

// StateNew is the state of a case before its submission event: the zero Case.
const StateNew State = ""

// Case is the projection of one case stream: what the events of the stream add up to.
// It is rebuilt from events at any time (Fold) and is never edited by hand.
// Its JSON leaves out what has not happened or is not set: a field absent from a case is its
// zero value (no text, false, 0, no time). The core fields are always present.
type Case struct {
	ID          string `json:"id"` // the stream id
	Number      string `json:"number"`
	Token       string `json:"token"`
	Station     string `json:"station"`
	Category    string `json:"category"`
	Text        string `json:"text"`
	Community   string `json:"community,omitzero"`
	Building    string `json:"building,omitzero"`
	Phone       string `json:"phone,omitzero"`
	ResidentID  string `json:"resident_id,omitzero"`
	Anonymous   bool   `json:"anonymous,omitzero"`
	SurnameMask string `json:"surname_mask,omitzero"`

	State State `json:"state"`

	RepID      string      `json:"rep_id,omitzero"` // the representative who accepted (领办) it
	RepName    string      `json:"rep_name,omitzero"`
	CoHandlers []CoHandler `json:"co_handlers,omitzero"` // representatives whose concurrent claim lost
	DeptCode   string      `json:"dept_code,omitzero"`
	DeptName   string      `json:"dept_name,omitzero"`
	Due        time.Time   `json:"due,omitzero"` // the department's reply due date

	// EscalatedTo is the organisation node the case was handed up to (上报), which now
	// assigns it; "" while it stays with its street.
	EscalatedTo     string    `json:"escalated_to,omitzero"`
	EscalatedToName string    `json:"escalated_to_name,omitzero"`
	EscalatedAt     time.Time `json:"escalated_at,omitzero"`

	Reply         string `json:"reply,omitzero"`
	Rating        Rating `json:"rating,omitzero"` // the latest rating; "" until rated
	RatingComment string `json:"rating_comment,omitzero"`
	ClosedUnrated bool   `json:"closed_unrated,omitzero"` // closed by the hub after the rating window

	SupervisedCount int    `json:"supervised_count,omitzero"`
	ReopenCount     int    `json:"reopen_count,omitzero"`
	ReturnCount     int    `json:"return_count,omitzero"`
	MergedInto      string `json:"merged_into,omitzero"`

	SubmittedAt time.Time `json:"submitted_at"`
	AcceptedAt  time.Time `json:"accepted_at,omitzero"`
	AssignedAt  time.Time `json:"assigned_at,omitzero"`
	ReturnedAt  time.Time `json:"returned_at,omitzero"`
	RepliedAt   time.Time `json:"replied_at,omitzero"`
	RatedAt     time.Time `json:"rated_at,omitzero"`
	ReopenedAt  time.Time `json:"reopened_at,omitzero"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	WithdrawnAt time.Time `json:"withdrawn_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"` // time of the latest effective event

	Version int `json:"version"` // number of effective events folded in
}

// CoHandler is a representative added to a case whose own claim lost to an earlier one.
type CoHandler struct {
	RepID   string `json:"rep_id"`
	RepName string `json:"rep_name"`
}

// Open reports whether the case still needs someone to act (it is neither closed, withdrawn
// nor merged, and it exists).
func (c Case) Open() bool { return IsOpen(c.State) }

// IsOpen reports whether a case in state s still needs someone to act.
func IsOpen(s State) bool {
	switch s {
	case StateNew, StateClosed, StateWithdrawn, StateMerged:
		return false
	}
	return true
}

// ErrIllegalTransition is matched (errors.Is) by every *TransitionError.
var ErrIllegalTransition = errors.New("illegal case transition")

// TransitionCode says which check an event failed, for callers that map it to a message key.
type TransitionCode string

const (
	CodeNotCase  TransitionCode = "not_case"  // the event is not a case event, or for another case
	CodeRole     TransitionCode = "role"      // the actor's role may never do this
	CodeState    TransitionCode = "state"     // the role may do it, but not in this state
	CodeIdentity TransitionCode = "identity"  // right role, but not this case's person or unit
	CodePayload  TransitionCode = "payload"   // the event's data is missing or invalid
	CodeTooEarly TransitionCode = "too_early" // a deadline-driven event before its deadline
)

// TransitionError explains why an event may not be applied to a case. Code groups the
// check that failed; Reason is the registered code (and parameters) a person is told, and
// never carries personal data.
type TransitionError struct {
	From   State
	Kind   Kind
	Code   TransitionCode
	Reason *Error
}

func (e *TransitionError) Error() string {
	from := string(e.From)
	if e.From == StateNew {
		from = "new"
	}
	return fmt.Sprintf("case %s from %s (%s): %v", e.Kind, from, e.Code, e.Reason)
}

// Is makes errors.Is(err, ErrIllegalTransition) true.
func (e *TransitionError) Is(target error) bool { return target == ErrIllegalTransition }

// Unwrap hands out the reason, so AsError finds the code a person is told.
func (e *TransitionError) Unwrap() error {
	if e.Reason == nil {
		return nil
	}
	return e.Reason
}

// Applied tells what Fold did with one event.
type Applied struct {
	EventID   string            `json:"event_id"`
	Effective bool              `json:"effective"`
	Reason    string            `json:"reason,omitempty"` // why not effective: a registered code
	Params    map[string]string `json:"params,omitempty"` // the reason's parameters
	Code      TransitionCode    `json:"code,omitempty"`
}

// Fold projects a case from its events in the given order (hub sequence, then local facts
// by device sequence). It is lenient: an event that is illegal at its place in the sequence
// (two offline claims, a rating after the case was closed unrated) stays in the timeline but
// does not move the case; Applied says which events took effect and why the others did not.
// Station and hub fold the same ordered events with the same rules and so agree.
func Fold(events []Event, rules Rules) (Case, []Applied) {
	var c Case
	applied := make([]Applied, 0, len(events))
	seen := make(map[string]bool, len(events))
	for _, ev := range events {
		a := Applied{EventID: ev.ID}
		if ev.ID != "" && seen[ev.ID] {
			a.Reason, a.Code = CodeEventDuplicate, CodeNotCase
			applied = append(applied, a)
			continue
		}
		seen[ev.ID] = true
		next, err := Transition(c, ev, rules)
		if err != nil {
			var te *TransitionError
			if errors.As(err, &te) && te.Reason != nil {
				a.Reason, a.Params, a.Code = te.Reason.Code, te.Reason.Params, te.Code
			} else {
				a.Reason = CodeInternal
			}
		} else {
			c = next
			a.Effective = true
		}
		applied = append(applied, a)
	}
	return c, applied
}
