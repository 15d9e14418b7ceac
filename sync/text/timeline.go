package text

import (
	"encoding/json"
	"time"

	"liaison/sync/domain"
)

// Audience is who reads a timeline; it decides how much of the events' words are shown.
type Audience int

const (
	// Public is anyone holding a case's link (the hub's status page): the resident's own words
	// (rating comment, withdrawal note) are left out and officials' words pass ScrubText.
	Public Audience = iota
	// Owner is the resident who submitted the case, at the kiosk: their case in full.
	Owner
	// Staff is the people who work the case at the hub (the CLI, the console's desk, the
	// representatives' phone workspace): every word in full, the events that did not take
	// effect kept and marked (Entry.Effective, Entry.Reason), and the hub's audit of a case
	// (who was shown the resident's contact, domain.KindContactRevealed). Who among them may
	// see the audit is the caller's to decide: it passes only the events the reader may see.
	Staff
)

// Options say how to word a timeline.
type Options struct {
	Lang     string
	Loc      *time.Location // dates in the text; UTC when nil
	Audience Audience
	// Submitter is how the resident appears (see Submitter).
	Submitter string
	// CaseNumber gives the number of a case id (the case another was merged into); nil or ""
	// words the merge without it.
	CaseNumber func(id string) string
}

// Entry is one worded step of a case's history.
type Entry struct {
	At    time.Time
	Kind  domain.Kind
	Label string      // what happened
	Actor string      // who did it
	Role  domain.Role // the role they did it in
	Text  string      // the details, empty when there are none to show
	// Effective is false for an event that did not take effect (shown to Staff only); Reason
	// is then why: a registered code (domain.Applied.Reason), with its Params, that Message
	// words.
	Effective bool
	Reason    string
	Params    map[string]string
}

// Submitter is how a case's resident appears: the masked surname, or 匿名群众 for an
// anonymous case or one without a name.
func Submitter(lang string, c domain.Case) string {
	if !c.Anonymous && c.SurnameMask != "" {
		return c.SurnameMask
	}
	return role(lang, domain.RoleAnonymous)
}

// Timeline words the events of one case, in order. applied is Fold's verdict for the same
// events, one per event; a nil applied takes every event as effective. An event that did not
// take effect (a concurrent claim that lost) is left out for the Public and the Owner, as its
// resolution is an event of its own, and kept for Staff with Effective false and the reason.
// An event that is not a case's (the hub's audit of a contact look) has no verdict: Staff
// see it, the others never do.
func Timeline(evs []domain.Event, applied []domain.Applied, o Options) []Entry {
	out := make([]Entry, 0, len(evs))
	for i, ev := range evs {
		if !ev.Kind.IsCase() && o.Audience != Staff {
			continue
		}
		e := entry(ev, o)
		if ev.Kind.IsCase() && applied != nil && i < len(applied) && !applied[i].Effective {
			if o.Audience != Staff {
				continue
			}
			e.Effective, e.Reason, e.Params = false, applied[i].Reason, applied[i].Params
		}
		out = append(out, e)
	}
	return out
}

// RatingName is the name of a resident's rating; "" for none.
func RatingName(lang string, r domain.Rating) string {
	if n, ok := pick(lang, func(c *Catalogue) map[string]string { return c.Ratings }, string(r)); ok {
		return n
	}
	return string(r)
}

func role(lang string, r domain.Role) string {
	if s, ok := pick(lang, func(c *Catalogue) map[string]string { return c.Roles }, string(r)); ok {
		return s
	}
	s, _ := pick(lang, func(c *Catalogue) map[string]string { return c.Roles }, string(domain.RoleSystem))
	return s
}

func sentence(lang, key string, kv ...string) string {
	s, _ := pick(lang, func(c *Catalogue) map[string]string { return c.Timeline }, key)
	params := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i]] = kv[i+1]
	}
	return Fill(s, params)
}

// Actor words who did something: a resident as the submitter, a representative as
// "代表 name", staff and departments by name (their role when unnamed), the hub as 系统.
func Actor(lang string, a domain.Actor, submitter string) string {
	switch a.Role {
	case domain.RoleResident, domain.RoleAnonymous:
		if submitter == "" {
			return role(lang, domain.RoleAnonymous)
		}
		return submitter
	case domain.RoleRepresentative:
		return sentence(lang, "representative", "name", a.Name)
	case domain.RoleStaff, domain.RoleDepartment:
		if a.Name != "" {
			return a.Name
		}
	}
	return role(lang, a.Role)
}

// ResidentReplyKey is the label key of a representative's reply to the resident (秒回复), a
// case.progress marked ToResident.
const ResidentReplyKey = "case.resident_reply"

func entry(ev domain.Event, o Options) Entry {
	e := Entry{At: ev.At, Kind: ev.Kind, Actor: Actor(o.Lang, ev.Actor, o.Submitter), Role: ev.Actor.Role, Effective: true}
	e.Label = Label(o.Lang, ev)
	e.Text = details(ev, o)
	return e
}

// Label words what an event of a case's timeline did: 交办, 代表答复 (a representative's
// reply to the resident), 事项更新 for a kind without a label.
func Label(lang string, ev domain.Event) string {
	key := string(ev.Kind)
	if domain.IsResidentReply(ev) {
		key = ResidentReplyKey // 秒回复: the representative's reply, not a progress note
	}
	label, ok := pick(lang, func(c *Catalogue) map[string]string { return c.Kinds }, key)
	if !ok {
		label, _ = pick(lang, func(c *Catalogue) map[string]string { return c.Kinds }, "unknown")
	}
	return label
}

// official is what an official wrote, as the audience may read it.
func official(s string, o Options) string {
	if o.Audience == Public {
		return domain.ScrubText(s)
	}
	return s
}

// details decodes only what it shows.
func details(ev domain.Event, o Options) string {
	loc := o.Loc
	if loc == nil {
		loc = time.UTC
	}
	switch ev.Kind {
	case domain.KindCaseAccepted:
		var p domain.CaseAccepted
		if json.Unmarshal(ev.Data, &p) == nil && p.RepName != "" {
			return sentence(o.Lang, "accepted", "rep", p.RepName)
		}
	case domain.KindCaseAssigned:
		var p domain.CaseAssigned
		if json.Unmarshal(ev.Data, &p) == nil {
			if p.Due.IsZero() {
				return sentence(o.Lang, "assigned", "dept", p.DeptName)
			}
			return sentence(o.Lang, "assigned_due", "dept", p.DeptName, "due", p.Due.In(loc).Format("2006-01-02"))
		}
	case domain.KindCaseEscalated:
		var p domain.CaseEscalated
		if json.Unmarshal(ev.Data, &p) != nil {
			return ""
		}
		to := p.ToName
		if to == "" {
			to = p.To
		}
		if note := official(p.Note, o); note != "" {
			return sentence(o.Lang, "escalated_note", "to", to, "note", note)
		}
		return sentence(o.Lang, "escalated", "to", to)
	case domain.KindCaseProgress, domain.KindCaseReturned, domain.KindCaseSupervised,
		domain.KindCaseReopened, domain.KindCaseClosed, domain.KindCaseWithdrawn:
		var p domain.CaseNote
		if json.Unmarshal(ev.Data, &p) != nil {
			return ""
		}
		resident := ev.Actor.Role == domain.RoleResident || ev.Actor.Role == domain.RoleAnonymous
		if resident && o.Audience == Public {
			return ""
		}
		if p.Note == "" && ev.Kind == domain.KindCaseClosed && ev.Actor.Role == domain.RoleSystem {
			return sentence(o.Lang, "closed_unrated")
		}
		return official(p.Note, o)
	case domain.KindCaseReplied:
		var p domain.CaseReplied
		if json.Unmarshal(ev.Data, &p) == nil {
			return official(p.Reply, o)
		}
	case domain.KindCaseRated:
		var p domain.CaseRated
		if json.Unmarshal(ev.Data, &p) == nil {
			name := RatingName(o.Lang, p.Rating)
			if p.Comment != "" && o.Audience != Public {
				return sentence(o.Lang, "rated_comment", "rating", name, "comment", p.Comment)
			}
			return name
		}
	case domain.KindCaseMerged:
		var p domain.CaseMerged
		if json.Unmarshal(ev.Data, &p) == nil {
			if o.CaseNumber != nil {
				if n := o.CaseNumber(p.Into); n != "" {
					return sentence(o.Lang, "merged_into", "number", n)
				}
			}
			return sentence(o.Lang, "merged")
		}
	case domain.KindCaseCoHandler:
		var p domain.CaseCoHandler
		if json.Unmarshal(ev.Data, &p) == nil && p.RepName != "" {
			return sentence(o.Lang, "cohandler", "rep", p.RepName)
		}
	case domain.KindContactRevealed:
		return sentence(o.Lang, "contact_revealed")
	}
	return ""
}
