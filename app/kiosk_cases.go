package app

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
)

// MyCases lists the cases of the resident in session, newest first. An anonymous visitor sees
// the cases submitted in this session.
func (k *Kiosk) MyCases() ([]CaseSummary, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	sess := k.desk.residents.get()
	if sess == nil {
		return nil, errorf(CodeNoSession, "请先刷身份证")
	}
	ctx := context.Background()
	var cases []domain.Case
	if sess.ResidentID != "" {
		cs, err := k.Store.CasesByResident(ctx, sess.ResidentID)
		if err != nil {
			k.Log.Error("list resident cases", "err", err)
			return nil, errorf(CodeStoreFailed, "读取事项失败")
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
	evs, err := k.Store.Timeline(ctx, id)
	if err != nil {
		k.Log.Error("case timeline", "err", err)
		return nil, errorf(CodeStoreFailed, "读取办理过程失败")
	}
	d := &CaseDetail{
		Summary: k.summary(c, k.categoryNames(ctx)), Community: c.Community, Building: c.Building,
		RepName: c.RepName, DeptName: c.DeptName, Reply: c.Reply, RatingComment: c.RatingComment,
		StatusURL: k.statusURL(c.Number, c.Token), Timeline: make([]TimelineEntry, 0, len(evs)),
	}
	if !c.Due.IsZero() {
		d.Due = timePtr(c.Due)
	}
	d.QRDataURL, _ = qrDataURL(d.StatusURL, 300)
	for _, ev := range evs {
		d.Timeline = append(d.Timeline, timelineEntry(ev, k.Store.Rules().Location))
	}
	return d, nil
}

// RateCase records the resident's rating of a replied case. 不满意 sends it back for handling.
func (k *Kiosk) RateCase(id, rating, comment string) (*CaseDetail, error) {
	c, err := k.ownCase(id)
	if err != nil {
		return nil, err
	}
	r := domain.Rating(rating)
	if r != domain.RatingSatisfied && r != domain.RatingBasically && r != domain.RatingUnsatisfied {
		return nil, errorf(CodeInvalidInput, "请选择满意、基本满意或不满意")
	}
	sess := k.desk.residents.get()
	actor := domain.Actor{Role: domain.RoleResident, ID: c.ResidentID}
	if sess != nil && sess.ResidentID == "" {
		actor = domain.Actor{Role: domain.RoleAnonymous}
	}
	ev, err := newEvent(domain.KindCaseRated, id, actor, k.Now(),
		domain.CaseRated{Rating: r, Comment: strings.TrimSpace(comment)})
	if err != nil {
		return nil, errorf(CodeInternal, "评价失败")
	}
	if _, err := k.Store.Record(context.Background(), ev); err != nil {
		var te *domain.TransitionError
		if errors.As(err, &te) {
			return nil, errorf(CodeIllegalTransition, te.Reason)
		}
		k.Log.Error("record rating", "err", err)
		return nil, errorf(CodeStoreFailed, "评价没有保存成功，请重试")
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
		return domain.Case{}, errorf(CodeNoSession, "请先刷身份证")
	}
	c, err := k.Store.Case(context.Background(), id)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.Case{}, errorf(CodeNotFound, "没有找到这件事项")
	}
	if err != nil {
		k.Log.Error("load case", "err", err)
		return domain.Case{}, errorf(CodeStoreFailed, "读取事项失败")
	}
	mine := (sess.ResidentID != "" && c.ResidentID == sess.ResidentID) || slices.Contains(sess.cases, id)
	if !mine {
		return domain.Case{}, errorf(CodeNotFound, "没有找到这件事项")
	}
	return c, nil
}

// timelineEntry turns an event into a line of the resident's timeline. Notes come from the
// payload; personal data of others is never part of a case event's payload.
func timelineEntry(ev domain.Event, loc *time.Location) TimelineEntry {
	t := TimelineEntry{At: ev.At.Format(time.RFC3339), Kind: string(ev.Kind),
		ActorRole: string(ev.Actor.Role), ActorName: ev.Actor.Name}
	var p struct {
		Note     string    `json:"note"`
		Reply    string    `json:"reply"`
		Comment  string    `json:"comment"`
		Rating   string    `json:"rating"`
		RepName  string    `json:"rep_name"`
		DeptName string    `json:"dept_name"`
		Due      time.Time `json:"due"`
		Reason   string    `json:"reason"`
	}
	_ = json.Unmarshal(ev.Data, &p)
	switch ev.Kind {
	case domain.KindCaseAccepted, domain.KindCaseCoHandler:
		t.ActorName = p.RepName
		t.Note = p.Reason
	case domain.KindCaseAssigned:
		t.ActorName = p.DeptName
		if !p.Due.IsZero() {
			t.Note = "办理期限 " + p.Due.In(loc).Format("2006-01-02")
		}
	case domain.KindCaseReplied:
		t.Note = p.Reply
	case domain.KindCaseRated:
		t.Note = ratingNames[domain.Rating(p.Rating)]
		if p.Comment != "" {
			t.Note += "：" + p.Comment
		}
	case domain.KindCaseSubmitted:
		t.ActorName = ""
	default:
		t.Note = p.Note
	}
	return t
}

var ratingNames = map[domain.Rating]string{
	domain.RatingSatisfied: "满意", domain.RatingBasically: "基本满意", domain.RatingUnsatisfied: "不满意",
}
