package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"liaison/sync/text"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Actions are the case actions of POST /api/v1/cases/{id}/{action}, in the order the console
// offers them.
func Actions() []string {
	return []string{"accept", "assign", "escalate", "supervise", "reply", "return", "close", "merge", "reopen", "progress"}
}

var actionLabels = map[string]string{
	"accept": "受理", "assign": "交办", "escalate": "上报", "supervise": "督办", "reply": "答复", "return": "退单",
	"close": "办结", "merge": "合并", "reopen": "重新办理", "progress": "记录进展",
}

// roleActions is the console's role × action matrix: which account roles may take which
// actions at all. The lifecycle (domain.Transition) then says whether the case's state and
// the person's unit allow it. Admins record a department's progress and 退单 on its behalf
// (as the department, under their own name); staff reply as the street or, with "as":
// "department", on the department's behalf.
var roleActions = map[string]map[string]bool{
	store.RoleAdmin: {"accept": true, "assign": true, "escalate": true, "supervise": true, "reply": true,
		"return": true, "close": true, "merge": true, "reopen": true, "progress": true},
	store.RoleStaff: {"accept": true, "assign": true, "escalate": true, "supervise": true, "reply": true,
		"close": true, "merge": true, "reopen": true},
	store.RoleDepartment:     {"reply": true, "return": true, "progress": true},
	store.RoleRepresentative: {},
}

// RoleMay reports whether an account role may take an action at all.
func RoleMay(role, action string) bool { return roleActions[role][action] }

// ActionRequest is the body of a case action. Which fields count depends on the action:
// accept: rep_id (rep_name from the reference data when empty); assign: dept_code, due
// (RFC 3339; the category's deadline when absent); escalate: to (a node above the case's
// level; the level right above when empty) and note; progress, supervise, return, close,
// reopen: note; reply: reply (and "as": "department"); merge: into (id or number). Version is
// the case version the person saw; 0 skips the check (scripts).
type ActionRequest struct {
	Note     string    `json:"note,omitempty"`
	Reply    string    `json:"reply,omitempty"`
	RepID    string    `json:"rep_id,omitempty"`
	RepName  string    `json:"rep_name,omitempty"`
	DeptCode string    `json:"dept_code,omitempty"`
	DeptName string    `json:"dept_name,omitempty"`
	Due      time.Time `json:"due,omitzero"`
	Into     string    `json:"into,omitempty"`
	To       string    `json:"to,omitempty"`
	As       string    `json:"as,omitempty"`
	Version  int       `json:"version,omitempty"`
}

// Errors of Act besides *domain.TransitionError and *store.StaleError.
var (
	ErrUnknownAction = errors.New("unknown action")
	ErrForbidden     = errors.New("forbidden")
	ErrBadAction     = errors.New("bad action request")
	ErrMergeTarget   = errors.New("no case to merge into")
	ErrCaseNotFound  = errors.New("case not found")
)

// policy is the console's own rule on top of the lifecycle: a replied case waits for the
// resident's rating, so 督办 no longer has anyone to press (the lifecycle would record it).
func policy(c domain.Case, action string) *domain.TransitionError {
	if action == "supervise" && c.State == domain.StateReplied {
		return &domain.TransitionError{From: c.State, Kind: domain.KindCaseSupervised, Code: domain.CodeState,
			Reason: domain.NewError(domain.CodeSuperviseReplied)}
	}
	return nil
}

// actionKind maps an action to its event kind, and says whether it is recorded as the
// assigned department when taken by the street's staff or an admin.
func actionKind(action string, req ActionRequest) (domain.Kind, bool) {
	switch action {
	case "accept":
		return domain.KindCaseAccepted, false
	case "assign":
		return domain.KindCaseAssigned, false
	case "escalate":
		return domain.KindCaseEscalated, false
	case "supervise":
		return domain.KindCaseSupervised, false
	case "reply":
		return domain.KindCaseReplied, req.As == "department"
	case "return":
		return domain.KindCaseReturned, true
	case "close":
		return domain.KindCaseClosed, false
	case "merge":
		return domain.KindCaseMerged, false
	case "reopen":
		return domain.KindCaseReopened, false
	case "progress":
		return domain.KindCaseProgress, true
	}
	return "", false
}

// actorFor is who an action is recorded as: the person, as the case's department when the
// action is the department's.
func actorFor(p *principal, c domain.Case, asDept bool) domain.Actor {
	a := p.Actor
	if asDept && a.Role == domain.RoleStaff {
		a.Role, a.ID = domain.RoleDepartment, c.DeptCode
	}
	return a
}

// withBy adds the person's login to the payload of an action recorded as a department, whose
// actor id is the department's code: the log then still names the person.
func withBy(payload any, p *principal, actor domain.Actor) (any, error) {
	if actor.Role != domain.RoleDepartment {
		return payload, nil
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	m["by"] = p.User.Login
	return m, nil
}

// payloadOf checks and completes what an action needs, looking names up in the reference
// data.
func (c *Console) payloadOf(ctx context.Context, tree *domain.OrgTree, cs domain.Case, action string, req ActionRequest, now time.Time) (any, error) {
	note := domain.CaseNote{Note: strings.TrimSpace(req.Note)}
	switch action {
	case "accept":
		rep, ok, err := findRep(ctx, c.st, strings.TrimSpace(req.RepID))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownRepresentative, req.RepID)
		}
		if rep.Retired {
			return nil, &RetiredError{Name: rep.Name}
		}
		name := strings.TrimSpace(req.RepName)
		if name == "" {
			name = rep.Name
		}
		return domain.CaseAccepted{RepID: rep.ID, RepName: name}, nil
	case "assign":
		code := strings.TrimSpace(req.DeptCode)
		d, err := c.st.Department(ctx, code)
		if errors.Is(err, store.ErrNotFound) || code == "" {
			return nil, fmt.Errorf("%w: %q", ErrUnknownDepartment, code)
		}
		if err != nil {
			return nil, err
		}
		if d.Retired {
			return nil, &RetiredError{Name: d.Name}
		}
		if level := tree.CaseLevel(cs); !tree.ServesNode(d.Node, level) {
			return nil, &DeptLevelError{Name: d.Name, Level: levelName(tree, level)}
		}
		due := req.Due
		if due.IsZero() {
			due = c.rules(ctx).HandleDeadline(now, cs.Category)
		}
		return domain.CaseAssigned{DeptCode: d.Code, DeptName: d.Name, Due: due.UTC()}, nil
	case "escalate":
		return escalation(tree, cs, strings.TrimSpace(req.To), note.Note)
	case "reply":
		return domain.CaseReplied{Reply: strings.TrimSpace(req.Reply)}, nil
	case "merge":
		into, err := c.findCase(ctx, req.Into)
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: %q", ErrMergeTarget, req.Into)
		}
		if err != nil {
			return nil, err
		}
		return domain.CaseMerged{Into: into.ID}, nil
	}
	return note, nil
}

// Act takes an action on a case for a person: the role matrix, the console's policy and the
// lifecycle decide; the event names the person. ref is the case's id or number.
func (c *Console) Act(ctx context.Context, u store.User, ref, action string, req ActionRequest) (domain.Case, error) {
	p := &principal{User: u, Actor: c.accounts.Actor(ctx, u)}
	cs, err := c.scopedCase(ctx, p, ref)
	if err != nil {
		return cs, err
	}
	return c.act1(ctx, p, cs, action, req)
}

func (c *Console) act1(ctx context.Context, p *principal, cs domain.Case, action string, req ActionRequest) (domain.Case, error) {
	kind, asDept := actionKind(action, req)
	if kind == "" {
		return cs, fmt.Errorf("%w: %q", ErrUnknownAction, action)
	}
	if !RoleMay(p.User.Role, action) {
		return cs, fmt.Errorf("%w: %s may not %s", ErrForbidden, p.User.Role, action)
	}
	if te := policy(cs, action); te != nil {
		return cs, te
	}
	if err := textBounds(req); err != nil {
		return cs, err
	}
	tree, err := c.orgTree(ctx)
	if err != nil {
		return cs, err
	}
	if err := ownsLevel(p, tree, cs); err != nil {
		return cs, err
	}
	now := c.cfg.Now()
	payload, err := c.payloadOf(ctx, tree, cs, action, req, now)
	if err != nil {
		return cs, err
	}
	actor := actorFor(p, cs, asDept)
	if payload, err = withBy(payload, p, actor); err != nil {
		return cs, err
	}
	if _, err := c.st.ActVersion(ctx, cs.ID, req.Version, kind, actor, payload); err != nil {
		return cs, err
	}
	c.log.Info("case action", "case", cs.Number, "action", action, "by", p.User.Login)
	return c.st.Case(ctx, cs.ID)
}

// TooLongError refuses an action whose note or reply is over its bound: Field is how the
// console names it (说明, 答复), Max its bound in characters.
type TooLongError struct {
	Field string
	Max   int
}

func (e *TooLongError) Error() string { return fmt.Sprintf("%s over %d characters", e.Field, e.Max) }

// textBounds checks what a person typed into an action against the bounds facts have
// (domain.MaxNoteRunes, MaxTextRunes), so a note is refused here and not stored whole.
func textBounds(req ActionRequest) error {
	if utf8.RuneCountInString(req.Note) > domain.MaxNoteRunes {
		return &TooLongError{Field: "说明", Max: domain.MaxNoteRunes}
	}
	if utf8.RuneCountInString(req.Reply) > domain.MaxTextRunes {
		return &TooLongError{Field: "答复", Max: domain.MaxTextRunes}
	}
	return nil
}

// ActionInfo tells the console whether the person may take an action now, and why not.
type ActionInfo struct {
	Action  string `json:"action"`
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason,omitempty"`
}

// probes are payloads that pass the lifecycle's payload checks, to ask it about the rest.
var probes = map[string]any{
	"accept": domain.CaseAccepted{RepID: "probe"}, "assign": domain.CaseAssigned{DeptCode: "probe"},
	"reply": domain.CaseReplied{Reply: "probe"}, "merge": domain.CaseMerged{Into: "probe"},
	"escalate": domain.CaseEscalated{To: "probe"},
}

// allowed lists, for every action, whether p may take it on cs now: the role matrix, the
// console's policy, the levels (who owns the case, whether there is a level above to escalate
// to) and the lifecycle's state, role and unit checks (domain.Transition).
func (c *Console) allowed(p *principal, tree *domain.OrgTree, cs domain.Case) []ActionInfo {
	now, rules := c.cfg.Now(), c.rules(context.Background())
	levelErr := ownsLevel(p, tree, cs)
	out := make([]ActionInfo, 0, len(Actions()))
	for _, action := range Actions() {
		info := ActionInfo{Action: action}
		kind, asDept := actionKind(action, ActionRequest{})
		switch {
		case !RoleMay(p.User.Role, action):
			info.Reason = "您的账号不能" + actionLabels[action]
		case policy(cs, action) != nil:
			info.Reason = text.ErrorMessage(text.ZhCN, policy(cs, action).Reason)
		case levelErr != nil:
			_, _, info.Reason, _ = actError(levelErr)
		case action == "escalate" && escalateBlocked(tree, cs) != nil:
			_, _, info.Reason, _ = actError(escalateBlocked(tree, cs))
		default:
			payload, ok := probes[action]
			if !ok {
				payload = domain.CaseNote{Note: "probe"}
			}
			data, _ := json.Marshal(payload) // plain structs: cannot fail
			ev := domain.Event{Stream: cs.ID, Kind: kind, At: now, Actor: actorFor(p, cs, asDept), Data: data}
			_, err := domain.Transition(cs, ev, rules)
			var te *domain.TransitionError
			if errors.As(err, &te) && te.Code != domain.CodePayload {
				info.Reason = text.ErrorMessage(text.ZhCN, te.Reason)
			} else {
				info.Allowed = true
			}
		}
		out = append(out, info)
	}
	return out
}

// escalateBlocked is why cs cannot be escalated whatever its state: no level above its own.
func escalateBlocked(tree *domain.OrgTree, cs domain.Case) error {
	_, err := escalation(tree, cs, "", "")
	return err
}
