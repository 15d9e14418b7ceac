package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// 评议 sessions. A session is saved whole, as an event of the hub's log (store.KindReviewSaved,
// never synced to stations), so every version, who saved it and when, stays in the hash-chained
// log: the stream is the session's audit trail. Publishing writes the session's ranking as the
// reference item domain.DeptRanking, which reaches every station's wall and the street's public
// page.

// Bounds of a session's fields.
const (
	maxParticipants    = 50
	maxConclusionRunes = 1000
	maxAgreedRunes     = 2000
	maxWhoRunes        = 200
)

// ReviewConclusion is the session's conclusion on one department it reviewed.
type ReviewConclusion struct {
	DeptCode   string `json:"dept_code"`
	DeptName   string `json:"dept_name"`
	Grade      string `json:"grade"`      // one of domain.ReviewGrades, "" when not given
	Conclusion string `json:"conclusion"` // the session's words; stays in the console
}

// ReviewInterview is a follow-up 约谈 with a department and its record.
type ReviewInterview struct {
	DeptCode string `json:"dept_code"`
	Date     string `json:"date"`   // YYYY-MM-DD
	Who      string `json:"who"`    // who took part
	Agreed   string `json:"agreed"` // what was agreed
}

// ReviewSessionInput is the body of POST /api/v1/reviews and PUT /api/v1/reviews/{id}.
// Version is the version the editor saw (ignored when creating).
type ReviewSessionInput struct {
	Version      int                `json:"version"`
	Held         string             `json:"held"` // YYYY-MM-DD
	Title        string             `json:"title"`
	Period       string             `json:"period"` // a period key (ReviewPeriod.Key)
	Participants []string           `json:"participants"`
	Departments  []ReviewConclusion `json:"departments"`
	Interviews   []ReviewInterview  `json:"interviews"`
}

// ReviewSession is a session as it stands.
type ReviewSession struct {
	ID           string             `json:"id"`
	Version      int                `json:"version"`
	Held         string             `json:"held"`
	Title        string             `json:"title"`
	Period       ReviewPeriod       `json:"period"`
	Participants []string           `json:"participants"`
	Departments  []ReviewConclusion `json:"departments"`
	Interviews   []ReviewInterview  `json:"interviews"`
	Published    string             `json:"published"` // RFC 3339 of the last publication, "" when never
	SavedAt      string             `json:"saved_at"`
	SavedBy      string             `json:"saved_by"`
}

// ReviewVersion is one saved version of a session: when and by whom.
type ReviewVersion struct {
	Version int    `json:"version"`
	At      string `json:"at"`
	By      string `json:"by"`
}

// ReviewSessionDetail is the body of GET /api/v1/reviews/{id}.
type ReviewSessionDetail struct {
	Session ReviewSession   `json:"session"`
	History []ReviewVersion `json:"history"`
}

// ReviewSessions is the body of GET /api/v1/reviews, the most recently saved first.
type ReviewSessions struct {
	Sessions []ReviewSession `json:"sessions"`
}

// ReviewPublish is the body of POST /api/v1/reviews/{id}/publish.
type ReviewPublish struct {
	Version int `json:"version"`
}

// reviewDoc is what the log holds of a session.
type reviewDoc struct {
	Held         string             `json:"held"`
	Title        string             `json:"title"`
	Period       string             `json:"period"`
	Participants []string           `json:"participants"`
	Departments  []ReviewConclusion `json:"departments"`
	Interviews   []ReviewInterview  `json:"interviews"`
	Published    time.Time          `json:"published,omitzero"`
}

func (c *Console) mountReview(mux *http.ServeMux) {
	if _, ok := c.st.(ReviewStore); !ok {
		return
	}
	mux.Handle("GET /api/v1/reviews/figures", c.authed(deskRoles, c.reviewFigures))
	mux.Handle("GET /api/v1/reviews/figures/{dept}/cases", c.authed(deskRoles, c.reviewCases))
	mux.Handle("GET /api/v1/reviews", c.authed(deskRoles, c.listReviews))
	mux.Handle("POST /api/v1/reviews", c.authed(deskRoles, c.saveReview))
	mux.Handle("GET /api/v1/reviews/{id}", c.authed(deskRoles, c.getReview))
	mux.Handle("PUT /api/v1/reviews/{id}", c.authed(deskRoles, c.saveReview))
	mux.Handle("POST /api/v1/reviews/{id}/publish", c.authed(deskRoles, c.publishReview))
}

func (c *Console) sessionOf(rec store.ReviewRecord) (ReviewSession, reviewDoc, error) {
	var d reviewDoc
	if err := json.Unmarshal(rec.Data, &d); err != nil {
		return ReviewSession{}, d, fmt.Errorf("decode review %s: %w", rec.ID, err)
	}
	p, _, _, _ := parsePeriod(d.Period, c.location())
	s := ReviewSession{ID: rec.ID, Version: rec.Version, Held: d.Held, Title: d.Title, Period: p,
		Participants: nonNil(d.Participants), Departments: d.Departments, Interviews: d.Interviews,
		SavedAt: rec.At.UTC().Format(time.RFC3339), SavedBy: rec.Actor.Name}
	if s.Departments == nil {
		s.Departments = []ReviewConclusion{}
	}
	if s.Interviews == nil {
		s.Interviews = []ReviewInterview{}
	}
	if !d.Published.IsZero() {
		s.Published = d.Published.UTC().Format(time.RFC3339)
	}
	return s, d, nil
}

// review finds a session and its history; store.ErrNotFound when there is none.
func (c *Console) review(ctx context.Context, id string) (ReviewSessionDetail, reviewDoc, error) {
	evs, err := c.st.StreamEvents(ctx, store.ReviewStream(id))
	if err != nil {
		return ReviewSessionDetail{}, reviewDoc{}, err
	}
	var out ReviewSessionDetail
	var last store.ReviewRecord
	for _, ev := range evs {
		if ev.Kind != store.KindReviewSaved {
			continue
		}
		last = store.ReviewRecord{ID: id, Version: last.Version + 1, Data: ev.Data, At: ev.At, Actor: ev.Actor}
		out.History = append(out.History, ReviewVersion{Version: last.Version,
			At: ev.At.UTC().Format(time.RFC3339), By: ev.Actor.Name})
	}
	if last.Version == 0 {
		return out, reviewDoc{}, store.ErrNotFound
	}
	s, d, err := c.sessionOf(last)
	out.Session = s
	return out, d, err
}

func (c *Console) listReviews(w http.ResponseWriter, r *http.Request, _ *principal) {
	recs, err := c.st.(ReviewStore).Reviews(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	out := ReviewSessions{Sessions: []ReviewSession{}}
	for _, rec := range recs {
		s, _, err := c.sessionOf(rec)
		if err != nil {
			c.internal(w, r, err)
			return
		}
		out.Sessions = append(out.Sessions, s)
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (c *Console) getReview(w http.ResponseWriter, r *http.Request, _ *principal) {
	d, _, err := c.review(r.Context(), r.PathValue("id"))
	if c.reviewFailed(w, r, err) {
		return
	}
	httpjson.Write(w, http.StatusOK, d)
}

// reviewFailed answers err, if any, and reports whether it did.
func (c *Console) reviewFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	var inv *invalidReview
	status, code := 0, ""
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		status, code = http.StatusNotFound, domain.CodeReviewNotFound
	case errors.Is(err, store.ErrReviewStale):
		status, code = http.StatusConflict, domain.CodeReviewStale
	case errors.As(err, &inv):
		status, code = http.StatusUnprocessableEntity, inv.code
	default:
		c.internal(w, r, err)
		return true
	}
	var params map[string]string
	if inv != nil && inv.field != "" {
		params = map[string]string{"field": inv.field}
	}
	codeError(w, status, code, params)
	return true
}

// invalidReview is a session input refused: code review_invalid (field) or review_no_dept.
type invalidReview struct{ code, field string }

func (e *invalidReview) Error() string { return e.code + ": " + e.field }

func (c *Console) saveReview(w http.ResponseWriter, r *http.Request, p *principal) {
	var in ReviewSessionInput
	if err := decodeBody(r, &in); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", err.Error())
		return
	}
	ctx := r.Context()
	id, version := r.PathValue("id"), in.Version
	var published time.Time
	if id == "" {
		id, version = newReviewID(in.Held), 0
	} else {
		_, old, err := c.review(ctx, id)
		if c.reviewFailed(w, r, err) {
			return
		}
		published = old.Published
	}
	doc, err := c.checkReview(ctx, in)
	if c.reviewFailed(w, r, err) {
		return
	}
	doc.Published = published
	rec, err := c.putReview(ctx, id, version, doc, p.Actor)
	if c.reviewFailed(w, r, err) {
		return
	}
	s, _, err := c.sessionOf(rec)
	if c.reviewFailed(w, r, err) {
		return
	}
	status := http.StatusOK
	if r.PathValue("id") == "" {
		status = http.StatusCreated
	}
	httpjson.Write(w, status, s)
}

func (c *Console) putReview(ctx context.Context, id string, version int, doc reviewDoc, actor domain.Actor) (store.ReviewRecord, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return store.ReviewRecord{}, fmt.Errorf("encode review: %w", err)
	}
	return c.st.(ReviewStore).SaveReview(ctx, id, version, data, actor)
}

func newReviewID(held string) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return "PY-" + strings.ReplaceAll(held, "-", "") + "-" + hex.EncodeToString(b[:])
}

// checkReview checks a session's fields and names its departments as the reference data does.
func (c *Console) checkReview(ctx context.Context, in ReviewSessionInput) (reviewDoc, error) {
	bad := func(field string) (reviewDoc, error) {
		return reviewDoc{}, &invalidReview{code: domain.CodeReviewInvalid, field: field}
	}
	isDay := func(s string) bool {
		t, err := time.Parse(time.DateOnly, s)
		return err == nil && t.Format(time.DateOnly) == s
	}
	textOK := func(s string, max int) bool {
		s = strings.TrimSpace(s)
		return s != "" && utf8.ValidString(s) && utf8.RuneCountInString(s) <= max
	}
	if !isDay(in.Held) {
		return bad("held")
	}
	if !textOK(in.Title, domain.MaxRefTitleRunes) {
		return bad("title")
	}
	if _, _, _, ok := parsePeriod(in.Period, c.location()); !ok {
		return reviewDoc{}, &invalidReview{code: domain.CodeReviewBadPeriod}
	}
	if len(in.Participants) > maxParticipants {
		return bad("participants")
	}
	for _, x := range in.Participants {
		if !textOK(x, domain.MaxNameRunes) {
			return bad("participants")
		}
	}
	if len(in.Departments) == 0 || len(in.Departments) > domain.MaxRefList {
		return bad("departments")
	}
	names, err := c.loadRefs(ctx)
	if err != nil {
		return reviewDoc{}, err
	}
	doc := reviewDoc{Held: in.Held, Title: strings.TrimSpace(in.Title), Period: in.Period,
		Participants: in.Participants, Interviews: in.Interviews}
	var codes []string
	for _, d := range in.Departments {
		name := names.dept[d.DeptCode]
		if name == "" || slices.Contains(codes, d.DeptCode) {
			return reviewDoc{}, &invalidReview{code: domain.CodeReviewNoDept}
		}
		if d.Grade != "" && !slices.Contains(domain.ReviewGrades, d.Grade) {
			return bad("grade")
		}
		if utf8.RuneCountInString(d.Conclusion) > maxConclusionRunes || !utf8.ValidString(d.Conclusion) {
			return bad("conclusion")
		}
		codes = append(codes, d.DeptCode)
		d.DeptName = name
		doc.Departments = append(doc.Departments, d)
	}
	if len(in.Interviews) > domain.MaxRefList {
		return bad("interviews")
	}
	for _, iv := range in.Interviews {
		switch {
		case !slices.Contains(codes, iv.DeptCode):
			return reviewDoc{}, &invalidReview{code: domain.CodeReviewNoDept}
		case !isDay(iv.Date):
			return bad("interviews.date")
		case !textOK(iv.Who, maxWhoRunes):
			return bad("interviews.who")
		case !textOK(iv.Agreed, maxAgreedRunes):
			return bad("interviews.agreed")
		}
	}
	return doc, nil
}

func (c *Console) publishReview(w http.ResponseWriter, r *http.Request, p *principal) {
	var in ReviewPublish
	if err := decodeBody(r, &in); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", err.Error())
		return
	}
	s, err := c.PublishReview(r.Context(), r.PathValue("id"), in.Version, p.Actor)
	if c.reviewFailed(w, r, err) {
		return
	}
	httpjson.Write(w, http.StatusOK, s)
}

// PublishReview publishes the ranking of session id (seen at version): the session is saved
// with its publication time, then the ranking is written as reference data. Publishing
// again replaces the ranking with the figures as they are then.
func (c *Console) PublishReview(ctx context.Context, id string, version int, actor domain.Actor) (ReviewSession, error) {
	_, doc, err := c.review(ctx, id)
	if err != nil {
		return ReviewSession{}, err
	}
	period, from, to, ok := parsePeriod(doc.Period, c.location())
	if !ok {
		return ReviewSession{}, &invalidReview{code: domain.CodeReviewBadPeriod}
	}
	figs, err := c.ReviewFiguresOf(ctx, period, from, to)
	if err != nil {
		return ReviewSession{}, err
	}
	doc.Published = c.cfg.Now().UTC()
	ranking := rankingOf(id, doc, figs)
	data, err := json.Marshal(ranking)
	if err != nil {
		return ReviewSession{}, fmt.Errorf("encode ranking: %w", err)
	}
	if probs := domain.CheckRef(domain.KindDeptRankingUpserted, data); len(probs) > 0 {
		return ReviewSession{}, fmt.Errorf("ranking of %s: %s %s", id, probs[0].Field, probs[0].Code)
	}
	rec, err := c.putReview(ctx, id, version, doc, actor)
	if err != nil {
		return ReviewSession{}, err
	}
	if _, err := c.st.PutRefs(ctx, []store.RefWrite{{Kind: domain.KindDeptRankingUpserted, Key: id, Data: data}}, actor); err != nil {
		return ReviewSession{}, err
	}
	s, _, err := c.sessionOf(rec)
	return s, err
}

// rankingOf is the public ranking of a session: the departments it reviewed that received
// cases in the period, ordered by score (compareReviews), equal scores sharing a rank.
func rankingOf(id string, doc reviewDoc, figs ReviewFigures) domain.DeptRanking {
	out := domain.DeptRanking{ID: id, Title: doc.Title, Period: figs.Period.Label, From: figs.Period.From,
		To: figs.Period.To, Held: doc.Held, Published: doc.Published, Rows: []domain.RankingRow{}}
	grade := map[string]string{}
	for _, d := range doc.Departments {
		grade[d.DeptCode] = d.Grade
	}
	for _, d := range figs.Departments { // already in ranking order
		g, reviewed := grade[d.Code]
		if !reviewed || d.Score == nil {
			continue
		}
		row := domain.RankingRow{Rank: len(out.Rows) + 1, DeptCode: d.Code, DeptName: d.Name, Score: *d.Score,
			Grade: g, Received: d.Received, AcceptedOnTime: d.AcceptedOnTime, HandledOnTime: d.HandledOnTime,
			Rated: d.Rated, Unsatisfied: d.Unsatisfied, AvgRating: d.AvgRating}
		if n := len(out.Rows); n > 0 && out.Rows[n-1].Score == row.Score {
			row.Rank = out.Rows[n-1].Rank
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
