package console

import (
	"encoding/json"
	"time"

	"liaison/sync/domain"
)

// TimelineEntry is one line of a case's history as the console shows it.
type TimelineEntry struct {
	At        time.Time   `json:"at"`
	Kind      domain.Kind `json:"kind"`
	Label     string      `json:"label"`
	Actor     string      `json:"actor"` // 王主任（街道人大工委）, 代表 李四, 张*, 系统
	Role      domain.Role `json:"role"`
	Text      string      `json:"text"`
	Effective bool        `json:"effective"`
	Reason    string      `json:"reason,omitempty"` // why an event did not take effect
}

var kindLabels = map[domain.Kind]string{
	domain.KindCaseSubmitted: "提交", domain.KindCaseAccepted: "受理", domain.KindCaseAssigned: "交办",
	domain.KindCaseProgress: "办理进展", domain.KindCaseReturned: "退单", domain.KindCaseSupervised: "督办",
	domain.KindCaseReplied: "答复", domain.KindCaseRated: "评价", domain.KindCaseReopened: "重新办理",
	domain.KindCaseClosed: "办结", domain.KindCaseWithdrawn: "撤回", domain.KindCaseMerged: "合并",
	domain.KindCaseCoHandler: "增加协办代表", domain.KindContactRevealed: "查看联系方式",
}

var ratingLabels = map[domain.Rating]string{
	domain.RatingSatisfied: "满意", domain.RatingBasically: "基本满意", domain.RatingUnsatisfied: "不满意",
}

// actorLabel is how the timeline names who acted. Staff and departments carry their
// person's name and unit in the event (王主任（街道人大工委）).
func actorLabel(a domain.Actor, cs domain.Case) string {
	switch a.Role {
	case domain.RoleResident:
		if cs.SurnameMask != "" && !cs.Anonymous {
			return cs.SurnameMask
		}
		return "群众"
	case domain.RoleAnonymous:
		return "匿名群众"
	case domain.RoleRepresentative:
		return "代表 " + a.Name
	case domain.RoleStaff:
		if a.Name != "" {
			return a.Name
		}
		return "工作人员"
	case domain.RoleDepartment:
		if a.Name != "" {
			return a.Name
		}
		return "承办单位"
	}
	return "系统"
}

// timeline renders a case's events for p; the audit of contact views only for staff and
// admins.
func (c *Console) timeline(p *principal, cs domain.Case, evs []domain.Event, names refs) []TimelineEntry {
	caseEvs := make([]domain.Event, 0, len(evs))
	for _, ev := range evs {
		if ev.Kind.IsCase() {
			caseEvs = append(caseEvs, ev)
		}
	}
	_, applied := domain.Fold(caseEvs, names.rules)
	effect := make(map[string]domain.Applied, len(applied))
	for _, a := range applied {
		effect[a.EventID] = a
	}
	out := make([]TimelineEntry, 0, len(evs))
	for _, ev := range evs {
		if ev.Kind == domain.KindContactRevealed && !p.is(deskRoles...) {
			continue
		}
		e := TimelineEntry{At: ev.At, Kind: ev.Kind, Label: kindLabels[ev.Kind], Actor: actorLabel(ev.Actor, cs),
			Role: ev.Actor.Role, Text: entryText(ev, names), Effective: true}
		if domain.IsResidentReply(ev) {
			e.Label = "代表答复"
		}
		if e.Label == "" {
			e.Label = string(ev.Kind)
		}
		if a, ok := effect[ev.ID]; ok && ev.Kind.IsCase() {
			e.Effective, e.Reason = a.Effective, a.Reason
		}
		out = append(out, e)
	}
	return out
}

// entryText says what an event did, in the words of the desk.
func entryText(ev domain.Event, names refs) string {
	var p struct {
		Number   string        `json:"number"`
		Category string        `json:"category"`
		Note     string        `json:"note"`
		Reply    string        `json:"reply"`
		RepName  string        `json:"rep_name"`
		DeptName string        `json:"dept_name"`
		Due      time.Time     `json:"due"`
		Rating   domain.Rating `json:"rating"`
		Comment  string        `json:"comment"`
		Into     string        `json:"into"`
		Reason   string        `json:"reason"`
	}
	_ = json.Unmarshal(ev.Data, &p) // a payload that does not decode leaves the text empty
	cst := time.FixedZone("CST", 8*3600)
	switch ev.Kind {
	case domain.KindCaseSubmitted:
		if n := names.category[p.Category]; n != "" {
			return "提交事项（" + n + "）"
		}
		return "提交事项"
	case domain.KindCaseAccepted:
		if ev.Actor.Role == domain.RoleRepresentative {
			return "代表领办"
		}
		return "受理，交由代表" + p.RepName + "领办"
	case domain.KindCaseAssigned:
		t := "交由 " + p.DeptName + " 办理"
		if !p.Due.IsZero() {
			t += "，期限 " + p.Due.In(cst).Format("2006-01-02")
		}
		return t
	case domain.KindCaseReplied:
		return p.Reply
	case domain.KindCaseRated:
		t := ratingLabels[p.Rating]
		if p.Comment != "" {
			t += "：" + p.Comment
		}
		return t
	case domain.KindCaseMerged:
		return "合并到其他事项办理"
	case domain.KindCaseCoHandler:
		return "代表 " + p.RepName + " 协办：" + p.Reason
	case domain.KindCaseWithdrawn:
		return "群众撤回了事项"
	case domain.KindContactRevealed:
		return "查看了群众的联系电话"
	}
	return p.Note
}
