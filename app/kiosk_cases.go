package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/text"
)

// MyCases lists the cases of the resident in session, newest first. An anonymous visitor sees
// the cases submitted in this session.
func (k *Kiosk) MyCases() ([]CaseSummary, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	sess := k.desk.residents.get()
	if sess == nil {
		return nil, appError(CodeNoSession)
	}
	ctx := context.Background()
	var cases []domain.Case
	if sess.ResidentID != "" {
		cs, err := k.Store.CasesByResident(ctx, sess.ResidentID)
		if err != nil {
			k.Log.Error("list resident cases", "err", err)
			return nil, appError(domain.CodeStoreReadFailed)
		}
		cases = cs
	} else {
		for _, id := range sess.cases {
			c, err := k.Store.Case(ctx, id)
			if err == nil {
				cases = append(cases, c)
			}
		}
	}
	names := k.categoryNames(ctx)
	out := make([]CaseSummary, 0, len(cases))
	for _, c := range cases {
		out = append(out, k.summary(c, names))
	}
	slices.SortFunc(out, func(a, b CaseSummary) int { return strings.Compare(b.SubmittedAt, a.SubmittedAt) })
	return out, nil
}

// CaseDetail returns one of the session's cases with its whole timeline.
func (k *Kiosk) CaseDetail(id string) (*CaseDetail, error) {
	c, err := k.ownCase(id)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	evs, applied, err := k.Store.TimelineApplied(ctx, id)
	if err != nil {
		k.Log.Error("case timeline", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	d := &CaseDetail{
		Summary: k.summary(c, k.categoryNames(ctx)), Community: c.Community, Building: c.Building,
		RepName: c.RepName, DeptName: c.DeptName, Reply: c.Reply, RatingComment: c.RatingComment,
		StatusURL: k.statusURL(c.Number, c.Token),
	}
	if !c.Due.IsZero() {
		d.Due = timePtr(c.Due)
	}
	d.QRDataURL, _ = qrDataURL(d.StatusURL, 300)
	// Worded in Go by the same function as the hub's status page, for the resident who
	// submitted the case: their own words in full, officials' notes as written.
	d.Timeline = k.timeline(evs, applied, c, text.Owner)
	return d, nil
}

// timeline words a case's events for audience with text.Timeline, the one wording the hub's
// status page uses too, in the station's language and zone.
func (k *Kiosk) timeline(evs []domain.Event, applied []domain.Applied, c domain.Case, audience text.Audience) []TimelineEntry {
	entries := text.Timeline(evs, applied, text.Options{Lang: k.Config.Locale, Loc: k.Store.Rules().Location,
		Audience: audience, Submitter: text.Submitter(k.Config.Locale, c), CaseNumber: k.caseNumber})
	out := make([]TimelineEntry, 0, len(entries))
	for _, e := range entries {
		out = append(out, TimelineEntry{At: e.At.Format(time.RFC3339), Kind: string(e.Kind),
			Label: e.Label, Actor: e.Actor, Text: e.Text})
	}
	return out
}

// caseNumber is the number of a case this station holds, "" for another.
func (k *Kiosk) caseNumber(id string) string {
	if c, err := k.Store.Case(context.Background(), id); err == nil {
		return c.Number
	}
	return ""
}

// RateCase records the resident's rating of a replied case. 不满意 sends it back for handling.
func (k *Kiosk) RateCase(id, rating, comment string) (*CaseDetail, error) {
	c, err := k.ownCase(id)
	if err != nil {
		return nil, err
	}
	r := domain.Rating(rating)
	if r != domain.RatingSatisfied && r != domain.RatingBasically && r != domain.RatingUnsatisfied {
		return nil, appError(domain.CodeRatingInvalid)
	}
	sess := k.desk.residents.get()
	actor := domain.Actor{Role: domain.RoleResident, ID: c.ResidentID}
	if sess != nil && sess.ResidentID == "" {
		actor = domain.Actor{Role: domain.RoleAnonymous}
	}
	ev, err := newEvent(domain.KindCaseRated, id, actor, k.Now(),
		domain.CaseRated{Rating: r, Comment: strings.TrimSpace(comment)})
	if err != nil {
		return nil, appError(CodeInternal)
	}
	if _, err := k.Store.Record(context.Background(), ev); err != nil {
		if errors.Is(err, domain.ErrIllegalTransition) {
			return nil, AsError(err)
		}
		k.Log.Error("record rating", "err", err)
		return nil, writeFailed(err)
	}
	k.Log.Info("case rated", "case", id, "rating", rating)
	k.Notify.Wrote([]string{id})
	return k.CaseDetail(id)
}

// ownCase loads a case the session may see.
func (k *Kiosk) ownCase(id string) (domain.Case, error) {
	if err := k.ready(); err != nil {
		return domain.Case{}, err
	}
	sess := k.desk.residents.get()
	if sess == nil {
		return domain.Case{}, appError(CodeNoSession)
	}
	c, err := k.Store.Case(context.Background(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Case{}, appError(domain.CodeCaseNotFound)
	}
	if err != nil {
		k.Log.Error("load case", "err", err)
		return domain.Case{}, appError(domain.CodeStoreReadFailed)
	}
	mine := (sess.ResidentID != "" && c.ResidentID == sess.ResidentID) || slices.Contains(sess.cases, id)
	if !mine {
		return domain.Case{}, appError(domain.CodeCaseNotFound)
	}
	return c, nil
}
