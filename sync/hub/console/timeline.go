package console

import (
	"context"
	"time"

	"liaison/sync/domain"
	"liaison/sync/text"
)

// TimelineEntry is one line of a case's history as the console shows it: an entry of
// text.Timeline for the Staff audience, the wording the kiosk, the status page and the CLI
// share.
type TimelineEntry struct {
	At        time.Time   `json:"at"`
	Kind      domain.Kind `json:"kind"`
	Label     string      `json:"label"` // what happened: 交办, 代表答复, 查看联系方式
	Actor     string      `json:"actor"` // 王主任（街道人大工委）, 代表 李四, 张*, 系统
	Role      domain.Role `json:"role"`
	Text      string      `json:"text"` // the details: 交由 街道城管科 办理，办理期限 2026-11-30, a note
	Effective bool        `json:"effective"`
	Reason    string      `json:"reason,omitempty"` // why an event did not take effect: a registered code
}

// timeline words a case's events for p with text.Timeline (Staff): the events that did not
// take effect are kept and marked; the audit of contact looks only for staff and admins.
func (c *Console) timeline(ctx context.Context, p *principal, cs domain.Case, evs []domain.Event, names refs) []TimelineEntry {
	shown := make([]domain.Event, 0, len(evs))
	for _, ev := range evs {
		if ev.Kind == domain.KindContactRevealed && !p.is(deskRoles...) {
			continue
		}
		shown = append(shown, ev)
	}
	// Fold passes over an event that is not a case's; text.Timeline gives it no verdict.
	_, applied := domain.Fold(shown, names.rules)
	loc := names.rules.Location
	if loc == nil {
		loc = domain.DefaultRules().Location
	}
	number := func(id string) string {
		if other, err := c.st.Case(ctx, id); err == nil {
			return other.Number
		}
		return ""
	}
	entries := text.Timeline(shown, applied, text.Options{Lang: text.ZhCN, Loc: loc, Audience: text.Staff,
		Submitter: text.Submitter(text.ZhCN, cs), CaseNumber: number})
	out := make([]TimelineEntry, len(entries))
	for i, e := range entries {
		out[i] = TimelineEntry{At: e.At, Kind: e.Kind, Label: e.Label, Actor: e.Actor, Role: e.Role,
			Text: e.Text, Effective: e.Effective, Reason: e.Reason}
	}
	return out
}
