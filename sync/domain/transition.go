package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// stateSet is a set of states as bits, so the permission table is constant and checking it
// allocates nothing (Fold runs it for every event of every case on a rebuild).
type stateSet uint16

const (
	inNew stateSet = 1 << iota
	inSubmitted
	inAccepted
	inAssigned
	inInProgress
	inReturned
	inReplied
	inReopened
	inClosed
	inWithdrawn
	inMerged
)

// Groups of states used by the permission table.
const (
	openStates = inSubmitted | inAccepted | inAssigned | inInProgress | inReturned | inReplied | inReopened
	// openUnreplied: a replied case waits for the resident's rating, so it can no longer be
	// withdrawn or merged as a duplicate.
	openUnreplied = openStates &^ inReplied
	afterClaim    = inAccepted | inAssigned | inInProgress | inReturned | inReplied | inReopened |
		inClosed | inWithdrawn | inMerged
	handling = inAssigned | inInProgress | inReopened
)

func bitOf(s State) stateSet {
	switch s {
	case StateNew:
		return inNew
	case StateSubmitted:
		return inSubmitted
	case StateAccepted:
		return inAccepted
	case StateAssigned:
		return inAssigned
	case StateInProgress:
		return inInProgress
	case StateReturned:
		return inReturned
	case StateReplied:
		return inReplied
	case StateReopened:
		return inReopened
	case StateClosed:
		return inClosed
	case StateWithdrawn:
		return inWithdrawn
	case StateMerged:
		return inMerged
	}
	return 0
}

// permitted is the permission table: the states from which role may record an event of kind
// k (empty when the role may never do it), and whether k is a case event at all.
func permitted(k Kind, role Role) (states stateSet, known bool) {
	resident := role == RoleResident || role == RoleAnonymous
	pick := func(ok bool, s stateSet) stateSet {
		if ok {
			return s
		}
		return 0
	}
	switch k {
	case KindCaseSubmitted:
		return pick(resident, inNew), true
	case KindCaseAccepted:
		return pick(role == RoleRepresentative || role == RoleStaff, inSubmitted), true
	case KindCaseAssigned:
		return pick(role == RoleStaff, inAccepted|inReturned|handling), true
	case KindCaseProgress:
		switch role {
		case RoleRepresentative:
			return inAccepted | handling, true
		case RoleDepartment:
			return handling, true
		}
		return 0, true
	case KindCaseReturned:
		return pick(role == RoleDepartment, handling), true
	case KindCaseSupervised:
		return pick(role == RoleStaff, openStates), true
	case KindCaseReplied:
		switch role {
		case RoleStaff:
			return inAccepted | inReturned | handling, true
		case RoleDepartment:
			return handling, true
		}
		return 0, true
	case KindCaseRated:
		return pick(resident, inReplied), true
	case KindCaseReopened:
		return pick(role == RoleStaff, inReplied|inClosed), true
	case KindCaseClosed:
		switch role {
		case RoleStaff:
			return openStates, true
		case RoleSystem:
			return inReplied, true
		}
		return 0, true
	case KindCaseWithdrawn:
		return pick(resident, openUnreplied), true
	case KindCaseMerged:
		return pick(role == RoleStaff, openUnreplied), true
	case KindCaseCoHandler:
		return pick(role == RoleSystem, afterClaim), true
	case KindCaseEscalated:
		return pick(role == RoleStaff, inAccepted|inReturned), true
	}
	return 0, false
}

// KnownState reports whether s is a state of the lifecycle (StateNew excluded).
func KnownState(s State) bool { return s != StateNew && bitOf(s) != 0 }

// Allowed reports whether role may record an event of kind k on a case in state s, by the
// permission table alone (identity and payload checks come on top in Transition).
func Allowed(s State, k Kind, role Role) bool {
	states, _ := permitted(k, role)
	return states&bitOf(s) != 0
}

// Transition applies one event to a case, strictly: it returns the new case, or a
// *TransitionError (errors.Is ErrIllegalTransition) when the actor's role may not do this,
// not in this state, not on this case, or the payload is invalid. c is not modified.
func Transition(c Case, ev Event, rules Rules) (Case, error) {
	fail := func(code TransitionCode, reason *Error) (Case, error) {
		return c, &TransitionError{From: c.State, Kind: ev.Kind, Code: code, Reason: reason}
	}
	states, known := permitted(ev.Kind, ev.Actor.Role)
	if !known {
		return fail(CodeNotCase, NewError(CodeEventNotCase))
	}
	if c.State != StateNew && ev.Stream != c.ID {
		return fail(CodeNotCase, NewError(CodeEventOtherCase))
	}
	if states == 0 {
		return fail(CodeRole, NewError(CodeRoleForbidden, "role", string(ev.Actor.Role), "kind", string(ev.Kind)))
	}
	if states&bitOf(c.State) == 0 {
		return fail(CodeState, NewError(CodeStateForbidden, "state", string(c.State), "kind", string(ev.Kind)))
	}
	if reason := checkIdentity(c, ev); reason != nil {
		return fail(CodeIdentity, reason)
	}
	next, code, reason := apply(c, ev, rules)
	if reason != nil {
		return fail(code, reason)
	}
	next.UpdatedAt = ev.At
	next.Version = c.Version + 1
	return next, nil
}

// checkIdentity makes sure a person acts on their own case and a unit on cases given to it.
func checkIdentity(c Case, ev Event) *Error {
	switch ev.Actor.Role {
	case RoleResident:
		// an anonymous case submitted by a registered resident is still theirs to follow;
		// anonymity only hides them from public views and handlers
		if ev.Kind == KindCaseSubmitted {
			return nil
		}
		if c.ResidentID == "" || ev.Actor.ID != c.ResidentID {
			return NewError(CodeOwnerOnly, "kind", string(ev.Kind))
		}
	case RoleAnonymous:
		// a walk-in without a card holds only the case's token; a case with an owner is
		// acted on by that owner
		if ev.Kind != KindCaseSubmitted && c.ResidentID != "" {
			return NewError(CodeOwnerOnly, "kind", string(ev.Kind))
		}
	case RoleDepartment:
		if c.DeptCode == "" || ev.Actor.ID != c.DeptCode {
			return NewError(CodeDepartmentOnly, "kind", string(ev.Kind))
		}
	case RoleRepresentative:
		if ev.Kind == KindCaseProgress && !c.handledBy(ev.Actor.ID) {
			return NewError(CodeHandlerOnly)
		}
	}
	return nil
}

func (c Case) handledBy(repID string) bool {
	if repID == "" {
		return false
	}
	if repID == c.RepID {
		return true
	}
	return slices.ContainsFunc(c.CoHandlers, func(h CoHandler) bool { return h.RepID == repID })
}

func decode(ev Event, v any) bool {
	if len(ev.Data) == 0 {
		return false
	}
	return json.Unmarshal(ev.Data, v) == nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// apply changes the case for an event that passed the role, state and identity checks.
// It returns a code and a reason when the payload is unusable, nil otherwise.
func apply(c Case, ev Event, rules Rules) (Case, TransitionCode, *Error) {
	switch ev.Kind {
	case KindCaseSubmitted:
		return applySubmitted(c, ev)
	case KindCaseAccepted:
		return applyAccepted(c, ev, rules)
	case KindCaseAssigned:
		return applyAssigned(c, ev, rules)
	case KindCaseProgress, KindCaseReturned, KindCaseSupervised, KindCaseReopened,
		KindCaseClosed, KindCaseWithdrawn:
		return applyNote(c, ev, rules)
	case KindCaseReplied:
		var p CaseReplied
		if !decode(ev, &p) || blank(p.Reply) {
			return c, CodePayload, NewError(CodeReplyRequired)
		}
		c.State, c.Reply, c.RepliedAt = StateReplied, p.Reply, ev.At
		return c, "", nil
	case KindCaseRated:
		return applyRated(c, ev, rules)
	case KindCaseEscalated:
		var p CaseEscalated
		if !decode(ev, &p) || blank(p.To) {
			return c, CodePayload, NewError(CodeEscalateTarget)
		}
		if p.To == c.EscalatedTo {
			return c, CodePayload, NewError(CodeEscalateSame)
		}
		// the level above takes it to assign: a department the street gave it to lets go
		c.State, c.EscalatedTo, c.EscalatedToName, c.EscalatedAt = StateAccepted, p.To, p.ToName, ev.At
		c.DeptCode, c.DeptName, c.Due = "", "", time.Time{}
		return c, "", nil
	case KindCaseMerged:
		var p CaseMerged
		if !decode(ev, &p) || blank(p.Into) {
			return c, CodePayload, NewError(CodeMergeTargetMissing)
		}
		if p.Into == c.ID {
			return c, CodePayload, NewError(CodeMergeSelf)
		}
		c.State, c.MergedInto = StateMerged, p.Into
		return c, "", nil
	case KindCaseCoHandler:
		var p CaseCoHandler
		if !decode(ev, &p) || blank(p.RepID) {
			return c, CodePayload, NewError(CodeCoHandlerMissing)
		}
		if p.RepID == c.RepID {
			return c, CodePayload, NewError(CodeCoHandlerIsLead)
		}
		if !c.handledBy(p.RepID) {
			c.CoHandlers = append(slices.Clone(c.CoHandlers), CoHandler{RepID: p.RepID, RepName: p.RepName})
		}
		return c, "", nil
	}
	return c, CodeNotCase, NewError(CodeEventNotCase)
}

func applySubmitted(c Case, ev Event) (Case, TransitionCode, *Error) {
	var p CaseSubmitted
	switch {
	case ev.Stream == "":
		return c, CodePayload, NewError(CodeCaseIDMissing)
	case !decode(ev, &p):
		return c, CodePayload, NewError(CodePayloadInvalid)
	case blank(p.Text):
		return c, CodePayload, NewError(CodeCaseTextRequired)
	case blank(p.Number) || blank(p.Token):
		return c, CodePayload, NewError(CodeCaseTokenMissing)
	case ev.Actor.Role == RoleAnonymous && (!p.Anonymous || p.ResidentID != ""):
		return c, CodePayload, NewError(CodeAnonymousIdentified)
	case ev.Actor.Role == RoleResident && p.ResidentID == "":
		return c, CodePayload, NewError(CodeIdentityRequired)
	case ev.Actor.Role == RoleResident && ev.Actor.ID != "" && ev.Actor.ID != p.ResidentID:
		return c, CodePayload, NewError(CodeSubmitterMismatch)
	}
	c = Case{
		ID: ev.Stream, Number: p.Number, Token: p.Token, Station: ev.Station,
		Category: p.Category, Text: p.Text, Community: p.Community, Building: p.Building,
		Phone: p.Phone, ResidentID: p.ResidentID, Anonymous: p.Anonymous,
		SurnameMask: p.SurnameMask, State: StateSubmitted, SubmittedAt: ev.At,
	}
	if c.Anonymous {
		c.SurnameMask = ""
	}
	return c, "", nil
}

func applyAccepted(c Case, ev Event, rules Rules) (Case, TransitionCode, *Error) {
	var p CaseAccepted
	if len(ev.Data) > 0 && !decode(ev, &p) {
		return c, CodePayload, NewError(CodePayloadInvalid)
	}
	if ev.Actor.Role == RoleRepresentative {
		if blank(ev.Actor.ID) {
			return c, CodePayload, NewError(CodeClaimRepMissing)
		}
		if p.RepID != "" && p.RepID != ev.Actor.ID {
			return c, CodePayload, NewError(CodeClaimSelfOnly)
		}
		p.RepID = ev.Actor.ID
		if p.RepName == "" {
			p.RepName = ev.Actor.Name
		}
	}
	c.State, c.RepID, c.RepName, c.AcceptedAt = StateAccepted, p.RepID, p.RepName, ev.At
	return c, "", nil
}

func applyAssigned(c Case, ev Event, rules Rules) (Case, TransitionCode, *Error) {
	var p CaseAssigned
	if !decode(ev, &p) || blank(p.DeptCode) {
		return c, CodePayload, NewError(CodeDepartmentRequired)
	}
	if p.Due.IsZero() {
		p.Due = rules.HandleDeadline(ev.At, c.Category)
	} else if !p.Due.After(ev.At) {
		return c, CodePayload, NewError(CodeDueBeforeAssign)
	}
	c.State, c.DeptCode, c.DeptName, c.Due, c.AssignedAt = StateAssigned, p.DeptCode, p.DeptName, p.Due.UTC(), ev.At
	return c, "", nil
}

// applyNote handles the events whose payload is a CaseNote.
func applyNote(c Case, ev Event, rules Rules) (Case, TransitionCode, *Error) {
	var p CaseNote
	if len(ev.Data) > 0 && !decode(ev, &p) {
		return c, CodePayload, NewError(CodePayloadInvalid)
	}
	noted := !blank(p.Note)
	// only a representative's progress note speaks to the resident (秒回复)
	if p.ToResident && (ev.Kind != KindCaseProgress || ev.Actor.Role != RoleRepresentative) {
		return c, CodePayload, NewError(CodePayloadInvalid)
	}
	switch ev.Kind {
	case KindCaseProgress:
		if !noted {
			return c, CodePayload, NewError(CodeProgressRequired)
		}
		if c.State != StateAccepted {
			c.State = StateInProgress
		}
	case KindCaseReturned:
		if !noted {
			return c, CodePayload, NewError(CodeReturnReason)
		}
		c.State, c.ReturnedAt, c.ReturnCount = StateReturned, ev.At, c.ReturnCount+1
	case KindCaseSupervised:
		c.SupervisedCount++
	case KindCaseReopened:
		if !noted {
			return c, CodePayload, NewError(CodeReopenReason)
		}
		c = reopen(c, ev, rules)
	case KindCaseClosed:
		return applyClosed(c, ev, rules, noted)
	case KindCaseWithdrawn:
		c.State, c.WithdrawnAt = StateWithdrawn, ev.At
	}
	return c, "", nil
}

func applyClosed(c Case, ev Event, rules Rules, noted bool) (Case, TransitionCode, *Error) {
	if ev.Actor.Role == RoleSystem {
		if ev.At.Before(rules.RatingDeadline(c.RepliedAt)) {
			return c, CodeTooEarly, NewError(CodeRatingWindowOpen)
		}
		c.State, c.ClosedAt, c.ClosedUnrated = StateClosed, ev.At, true
		return c, "", nil
	}
	if c.State != StateReplied && !noted {
		return c, CodePayload, NewError(CodeCloseReason)
	}
	c.State, c.ClosedAt, c.ClosedUnrated = StateClosed, ev.At, c.State == StateReplied
	return c, "", nil
}

func applyRated(c Case, ev Event, rules Rules) (Case, TransitionCode, *Error) {
	var p CaseRated
	if !decode(ev, &p) {
		return c, CodePayload, NewError(CodePayloadInvalid)
	}
	switch p.Rating {
	case RatingSatisfied, RatingBasically:
		c.State, c.ClosedAt, c.ClosedUnrated = StateClosed, ev.At, false
	case RatingUnsatisfied:
		c = reopen(c, ev, rules)
	default:
		return c, CodePayload, NewError(CodeRatingInvalid)
	}
	c.Rating, c.RatingComment, c.RatedAt = p.Rating, p.Comment, ev.At
	return c, "", nil
}

// reopen sends a case back for handling with a fresh handling deadline.
func reopen(c Case, ev Event, rules Rules) Case {
	c.State, c.ReopenedAt, c.ReopenCount = StateReopened, ev.At, c.ReopenCount+1
	c.Due = rules.HandleDeadline(ev.At, c.Category)
	c.ClosedAt, c.ClosedUnrated = time.Time{}, false
	return c
}
