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
	}
	return 0, false
}

func roleName(x Role) string {
	switch x {
	case RoleResident:
		return "群众"
	case RoleAnonymous:
		return "匿名群众"
	case RoleRepresentative:
		return "代表"
	case RoleStaff:
		return "工作人员"
	case RoleDepartment:
		return "承办单位"
	case RoleSystem:
		return "系统"
	}
	return "未知身份"
}

func stateName(x State) string {
	switch x {
	case StateNew:
		return "未提交"
	case StateSubmitted:
		return "已提交"
	case StateAccepted:
		return "已领办"
	case StateAssigned:
		return "已交办"
	case StateInProgress:
		return "办理中"
	case StateReturned:
		return "已退单"
	case StateReplied:
		return "已答复"
	case StateReopened:
		return "重新办理"
	case StateClosed:
		return "已办结"
	case StateWithdrawn:
		return "已撤回"
	case StateMerged:
		return "已合并"
	}
	return string(x)
}

func kindName(x Kind) string {
	switch x {
	case KindCaseSubmitted:
		return "提交"
	case KindCaseAccepted:
		return "领办"
	case KindCaseAssigned:
		return "交办"
	case KindCaseProgress:
		return "记录进展"
	case KindCaseReturned:
		return "退单"
	case KindCaseSupervised:
		return "督办"
	case KindCaseReplied:
		return "答复"
	case KindCaseRated:
		return "评价"
	case KindCaseReopened:
		return "重新办理"
	case KindCaseClosed:
		return "办结"
	case KindCaseWithdrawn:
		return "撤回"
	case KindCaseMerged:
		return "合并"
	case KindCaseCoHandler:
		return "增加协办代表"
	}
	return string(x)
}

// StateName is the Chinese name of a state, as shown to people.
func StateName(s State) string { return stateName(s) }

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
	fail := func(code TransitionCode, reason string) (Case, error) {
		return c, &TransitionError{From: c.State, Kind: ev.Kind, Code: code, Reason: reason}
	}
	states, known := permitted(ev.Kind, ev.Actor.Role)
	if !known {
		return fail(CodeNotCase, "不是民情事项的事件")
	}
	if c.State != StateNew && ev.Stream != c.ID {
		return fail(CodeNotCase, "事件不属于这件民情事项")
	}
	if states == 0 {
		return fail(CodeRole, roleName(ev.Actor.Role)+"不能"+kindName(ev.Kind))
	}
	if states&bitOf(c.State) == 0 {
		return fail(CodeState, StateName(c.State)+"的事项不能"+kindName(ev.Kind))
	}
	if reason := checkIdentity(c, ev); reason != "" {
		return fail(CodeIdentity, reason)
	}
	next, code, reason := apply(c, ev, rules)
	if reason != "" {
		return fail(code, reason)
	}
	next.UpdatedAt = ev.At
	next.Version = c.Version + 1
	return next, nil
}

// checkIdentity makes sure a person acts on their own case and a unit on cases given to it.
func checkIdentity(c Case, ev Event) string {
	switch ev.Actor.Role {
	case RoleResident:
		// an anonymous case submitted by a registered resident is still theirs to follow;
		// anonymity only hides them from public views and handlers
		if ev.Kind == KindCaseSubmitted {
			return ""
		}
		if c.ResidentID == "" || ev.Actor.ID != c.ResidentID {
			return "只有提交人本人可以" + kindName(ev.Kind)
		}
	case RoleAnonymous:
		// a walk-in without a card holds only the case's token; a case with an owner is
		// acted on by that owner
		if ev.Kind != KindCaseSubmitted && c.ResidentID != "" {
			return "登记过身份的事项需由提交人本人" + kindName(ev.Kind)
		}
	case RoleDepartment:
		if c.DeptCode == "" || ev.Actor.ID != c.DeptCode {
			return "只有承办单位可以" + kindName(ev.Kind)
		}
	case RoleRepresentative:
		if ev.Kind == KindCaseProgress && !c.handledBy(ev.Actor.ID) {
			return "只有领办或协办代表可以记录进展"
		}
	}
	return ""
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
// It returns a code and a reason when the payload is unusable.
func apply(c Case, ev Event, rules Rules) (Case, TransitionCode, string) {
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
			return c, CodePayload, "答复内容不能为空"
		}
		c.State, c.Reply, c.RepliedAt = StateReplied, p.Reply, ev.At
		return c, "", ""
	case KindCaseRated:
		return applyRated(c, ev, rules)
	case KindCaseMerged:
		var p CaseMerged
		if !decode(ev, &p) || blank(p.Into) {
			return c, CodePayload, "请指明合并到哪件事项"
		}
		if p.Into == c.ID {
			return c, CodePayload, "不能合并到自身"
		}
		c.State, c.MergedInto = StateMerged, p.Into
		return c, "", ""
	case KindCaseCoHandler:
		var p CaseCoHandler
		if !decode(ev, &p) || blank(p.RepID) {
			return c, CodePayload, "缺少协办代表"
		}
		if p.RepID == c.RepID {
			return c, CodePayload, "该代表已是领办代表"
		}
		if !c.handledBy(p.RepID) {
			c.CoHandlers = append(slices.Clone(c.CoHandlers), CoHandler{RepID: p.RepID, RepName: p.RepName})
		}
		return c, "", ""
	}
	return c, CodeNotCase, "不是民情事项的事件"
}

func applySubmitted(c Case, ev Event) (Case, TransitionCode, string) {
	var p CaseSubmitted
	switch {
	case ev.Stream == "":
		return c, CodePayload, "缺少事项编号"
	case !decode(ev, &p):
		return c, CodePayload, "提交内容格式错误"
	case blank(p.Text):
		return c, CodePayload, "请填写反映的问题"
	case blank(p.Number) || blank(p.Token):
		return c, CodePayload, "缺少事项编号或查询码"
	case ev.Actor.Role == RoleAnonymous && (!p.Anonymous || p.ResidentID != ""):
		return c, CodePayload, "匿名提交不能带有身份信息"
	case ev.Actor.Role == RoleResident && p.ResidentID == "":
		return c, CodePayload, "实名提交需要登记身份"
	case ev.Actor.Role == RoleResident && ev.Actor.ID != "" && ev.Actor.ID != p.ResidentID:
		return c, CodePayload, "提交人与登记身份不符"
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
	return c, "", ""
}

func applyAccepted(c Case, ev Event, rules Rules) (Case, TransitionCode, string) {
	var p CaseAccepted
	if len(ev.Data) > 0 && !decode(ev, &p) {
		return c, CodePayload, "领办内容格式错误"
	}
	if ev.Actor.Role == RoleRepresentative {
		if blank(ev.Actor.ID) {
			return c, CodePayload, "缺少领办代表"
		}
		if p.RepID != "" && p.RepID != ev.Actor.ID {
			return c, CodePayload, "代表只能自己领办"
		}
		p.RepID = ev.Actor.ID
		if p.RepName == "" {
			p.RepName = ev.Actor.Name
		}
	}
	c.State, c.RepID, c.RepName, c.AcceptedAt = StateAccepted, p.RepID, p.RepName, ev.At
	return c, "", ""
}

func applyAssigned(c Case, ev Event, rules Rules) (Case, TransitionCode, string) {
	var p CaseAssigned
	if !decode(ev, &p) || blank(p.DeptCode) {
		return c, CodePayload, "请选择承办单位"
	}
	if p.Due.IsZero() {
		p.Due = rules.HandleDeadline(ev.At)
	} else if !p.Due.After(ev.At) {
		return c, CodePayload, "办理期限必须晚于交办时间"
	}
	c.State, c.DeptCode, c.DeptName, c.Due, c.AssignedAt = StateAssigned, p.DeptCode, p.DeptName, p.Due.UTC(), ev.At
	return c, "", ""
}

// applyNote handles the events whose payload is a CaseNote.
func applyNote(c Case, ev Event, rules Rules) (Case, TransitionCode, string) {
	var p CaseNote
	if len(ev.Data) > 0 && !decode(ev, &p) {
		return c, CodePayload, "内容格式错误"
	}
	noted := !blank(p.Note)
	switch ev.Kind {
	case KindCaseProgress:
		if !noted {
			return c, CodePayload, "请填写进展情况"
		}
		if c.State != StateAccepted {
			c.State = StateInProgress
		}
	case KindCaseReturned:
		if !noted {
			return c, CodePayload, "退单须说明理由"
		}
		c.State, c.ReturnedAt, c.ReturnCount = StateReturned, ev.At, c.ReturnCount+1
	case KindCaseSupervised:
		c.SupervisedCount++
	case KindCaseReopened:
		if !noted {
			return c, CodePayload, "重新办理须说明理由"
		}
		c = reopen(c, ev, rules)
	case KindCaseClosed:
		return applyClosed(c, ev, rules, noted)
	case KindCaseWithdrawn:
		c.State, c.WithdrawnAt = StateWithdrawn, ev.At
	}
	return c, "", ""
}

func applyClosed(c Case, ev Event, rules Rules, noted bool) (Case, TransitionCode, string) {
	if ev.Actor.Role == RoleSystem {
		if ev.At.Before(rules.RatingDeadline(c.RepliedAt)) {
			return c, CodeTooEarly, "评价期限未到，不能自动办结"
		}
		c.State, c.ClosedAt, c.ClosedUnrated = StateClosed, ev.At, true
		return c, "", ""
	}
	if c.State != StateReplied && !noted {
		return c, CodePayload, "未答复的事项办结须说明理由"
	}
	c.State, c.ClosedAt, c.ClosedUnrated = StateClosed, ev.At, c.State == StateReplied
	return c, "", ""
}

func applyRated(c Case, ev Event, rules Rules) (Case, TransitionCode, string) {
	var p CaseRated
	if !decode(ev, &p) {
		return c, CodePayload, "评价内容格式错误"
	}
	switch p.Rating {
	case RatingSatisfied, RatingBasically:
		c.State, c.ClosedAt, c.ClosedUnrated = StateClosed, ev.At, false
	case RatingUnsatisfied:
		c = reopen(c, ev, rules)
	default:
		return c, CodePayload, "请选择满意、基本满意或不满意"
	}
	c.Rating, c.RatingComment, c.RatedAt = p.Rating, p.Comment, ev.At
	return c, "", ""
}

// reopen sends a case back for handling with a fresh handling deadline.
func reopen(c Case, ev Event, rules Rules) Case {
	c.State, c.ReopenedAt, c.ReopenCount = StateReopened, ev.At, c.ReopenCount+1
	c.Due = rules.HandleDeadline(ev.At)
	c.ClosedAt, c.ClosedUnrated = time.Time{}, false
	return c
}
