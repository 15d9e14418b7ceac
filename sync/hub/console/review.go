package console

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// 工作评议 of the departments (承办单位). The figures of a department for a period are about
// the cases assigned (交办) to it in the period, each counted once however often it came
// back, and follow what the department did with them until now, from the hub's events
// (domain.Fold decides which events took effect). docs/console.md has the definitions.

// ReviewStore is what the 评议 pages need from the hub store (sqlitestore implements it).
type ReviewStore interface {
	AssignedCases(ctx context.Context, from, to time.Time) ([]string, error)
	SaveReview(ctx context.Context, id string, version int, data json.RawMessage, actor domain.Actor) (store.ReviewRecord, error)
	Reviews(ctx context.Context) ([]store.ReviewRecord, error)
}

// ReviewPeriod is a period of the figures. Key is how the API names it: 2026-11 (month),
// 2026-Q4 (quarter), 2026 (year) or 2026-11-03..2026-11-20 (days, both included).
type ReviewPeriod struct {
	Key   string `json:"key"`
	Label string `json:"label"` // 2026年11月, 2026年第四季度, 2026年, 2026-11-03至2026-11-20
	From  string `json:"from"`  // first day, YYYY-MM-DD
	To    string `json:"to"`    // last day, YYYY-MM-DD
}

// DeptReview are a department's figures for a period. The rates' denominators are Received
// (and Rated for the ratings); Score is null when nothing was received.
type DeptReview struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	Received       int      `json:"received"`         // cases assigned to it in the period
	AcceptedOnTime int      `json:"accepted_on_time"` // first taken up within the accept hours
	HandledOnTime  int      `json:"handled_on_time"`  // first replied no later than the due date
	Returned       int      `json:"returned"`         // cases it returned (退单)
	Supervised     int      `json:"supervised"`       // cases supervised (督办) while with it
	Rated          int      `json:"rated"`            // cases whose reply was rated
	AvgRating      *float64 `json:"avg_rating"`       // 满意 3, 基本满意 2, 不满意 1; latest rating
	Unsatisfied    int      `json:"unsatisfied"`      // rated cases whose latest rating is 不满意
	Rehandled      int      `json:"rehandled"`        // replied again after a 不满意 rating
	Score          *float64 `json:"score"`            // 0..100, one decimal
}

// ReviewFigures is the body of GET /api/v1/reviews/figures: every department, best score
// first, then those that received nothing.
type ReviewFigures struct {
	Period      ReviewPeriod `json:"period"`
	Departments []DeptReview `json:"departments"`
}

// ReviewCase is one case of a department's figures (the drill-down).
type ReviewCase struct {
	ID             string `json:"id"`
	Number         string `json:"number"`
	Category       string `json:"category"`
	State          string `json:"state"`
	AssignedAt     string `json:"assigned_at"`          // RFC 3339
	Due            string `json:"due"`                  // the reply's due date set by that assignment
	RepliedAt      string `json:"replied_at,omitempty"` // its first reply while with the department
	AcceptedOnTime bool   `json:"accepted_on_time"`
	HandledOnTime  bool   `json:"handled_on_time"`
	Returned       bool   `json:"returned"`
	Supervised     bool   `json:"supervised"`
	Rating         string `json:"rating,omitempty"` // latest rating of its reply
	Rehandled      bool   `json:"rehandled"`
}

// ReviewCases is the body of GET /api/v1/reviews/figures/{dept}/cases.
type ReviewCases struct {
	Period ReviewPeriod `json:"period"`
	Dept   DeptReview   `json:"dept"`
	Cases  []ReviewCase `json:"cases"`
}

// Weights of the score: each part is a fraction 0..1 times its weight, summed over the parts
// that have a denominator and scaled to 100 (a department nobody rated is scored on the rest).
var scoreWeights = struct{ accepted, handled, rating, returned, supervised float64 }{20, 30, 30, 10, 10}

// parsePeriod reads a period key in loc; the bounds are [from, to) at local midnight.
func parsePeriod(key string, loc *time.Location) (ReviewPeriod, time.Time, time.Time, bool) {
	day := func(s string) (time.Time, bool) {
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		return t, err == nil && t.Format(time.DateOnly) == s
	}
	var from, to time.Time
	p := ReviewPeriod{Key: key}
	switch {
	case strings.Contains(key, ".."):
		a, b, _ := strings.Cut(key, "..")
		f, okA := day(a)
		l, okB := day(b)
		if !okA || !okB || l.Before(f) || l.Sub(f) > 3*366*24*time.Hour {
			return p, from, to, false
		}
		from, to = f, l.AddDate(0, 0, 1)
		p.Label = a + "至" + b
	case len(key) == 7 && key[4] == '-' && key[5] == 'Q':
		y, err := strconv.Atoi(key[:4])
		q := int(key[6] - '0')
		if err != nil || q < 1 || q > 4 {
			return p, from, to, false
		}
		from = time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, loc)
		to = from.AddDate(0, 3, 0)
		p.Label = fmt.Sprintf("%d年第%s季度", y, []string{"一", "二", "三", "四"}[q-1])
	case len(key) == 7:
		t, err := time.ParseInLocation("2006-01", key, loc)
		if err != nil {
			return p, from, to, false
		}
		from, to = t, t.AddDate(0, 1, 0)
		p.Label = fmt.Sprintf("%d年%d月", t.Year(), t.Month())
	case len(key) == 4:
		y, err := strconv.Atoi(key)
		if err != nil {
			return p, from, to, false
		}
		from = time.Date(y, 1, 1, 0, 0, 0, 0, loc)
		to = from.AddDate(1, 0, 0)
		p.Label = fmt.Sprintf("%d年", y)
	default:
		return p, from, to, false
	}
	if from.Year() < 2000 || from.Year() > 2100 {
		return p, from, to, false
	}
	p.From, p.To = from.Format(time.DateOnly), to.AddDate(0, 0, -1).Format(time.DateOnly)
	return p, from, to, true
}

// episode is what one department did with one case it received in the period.
type episode struct {
	c                  domain.Case // as it is now
	assignedAt, due    time.Time
	repliedAt          time.Time
	acceptedOnTime     bool
	handledOnTime      bool
	returned           bool
	supervised         bool
	rating             domain.Rating
	unsatisfiedOnce    bool
	rehandled          bool
	taken, lastReplyOK bool // taken: the first progress or reply seen; lastReplyOK: the last reply was its own
}

// handling are the states in which a case is with its department.
func handling(s domain.State) bool {
	return s == domain.StateAssigned || s == domain.StateInProgress || s == domain.StateReopened
}

// caseEpisodes follows one case through its effective events and returns, per department
// that received it in [from, to), what that department did with it.
func caseEpisodes(evs []domain.Event, rules domain.Rules, from, to time.Time) map[string]*episode {
	now, applied := domain.Fold(evs, rules)
	out := map[string]*episode{}
	var c domain.Case
	for i, ev := range evs {
		if !applied[i].Effective {
			continue
		}
		before := c
		next, err := domain.Transition(c, ev, rules)
		if err != nil { // Fold applied it: it applies again the same way
			continue
		}
		c = next
		if ev.Kind == domain.KindCaseAssigned {
			if _, ok := out[c.DeptCode]; !ok && !ev.At.Before(from) && ev.At.Before(to) {
				out[c.DeptCode] = &episode{c: now, assignedAt: ev.At, due: c.Due}
			}
			continue
		}
		e := out[before.DeptCode]
		if e == nil || !handling(before.State) && ev.Kind != domain.KindCaseRated {
			continue
		}
		acceptBy := rules.AcceptDeadline(e.assignedAt, before.Category)
		switch ev.Kind {
		case domain.KindCaseProgress:
			if ev.Actor.Role == domain.RoleDepartment && !e.taken {
				e.taken, e.acceptedOnTime = true, !ev.At.After(acceptBy)
			}
		case domain.KindCaseReplied:
			if !e.taken {
				e.taken, e.acceptedOnTime = true, !ev.At.After(acceptBy)
			}
			if e.repliedAt.IsZero() {
				e.repliedAt, e.handledOnTime = ev.At, !ev.At.After(e.due)
			}
			if e.unsatisfiedOnce {
				e.rehandled = true
			}
			e.lastReplyOK = true
		case domain.KindCaseReturned:
			e.returned, e.lastReplyOK = true, false
		case domain.KindCaseSupervised:
			e.supervised = true
		case domain.KindCaseRated:
			if before.State == domain.StateReplied && e.lastReplyOK {
				e.rating = c.Rating
				e.unsatisfiedOnce = e.unsatisfiedOnce || c.Rating == domain.RatingUnsatisfied
			}
		}
	}
	return out
}

// reviewEpisodes gathers the episodes of every department for a period, per department.
func (c *Console) reviewEpisodes(ctx context.Context, rs ReviewStore, from, to time.Time) (map[string][]*episode, domain.Rules, error) {
	rules := c.rules(ctx)
	ids, err := rs.AssignedCases(ctx, from, to)
	if err != nil {
		return nil, rules, err
	}
	out := map[string][]*episode{}
	for _, id := range ids {
		evs, err := c.st.StreamEvents(ctx, id)
		if err != nil {
			return nil, rules, err
		}
		for dept, e := range caseEpisodes(evs, rules, from, to) {
			out[dept] = append(out[dept], e)
		}
	}
	return out, rules, nil
}

// deptReview sums a department's episodes and scores them.
func deptReview(code, name string, eps []*episode) DeptReview {
	d := DeptReview{Code: code, Name: name, Received: len(eps)}
	sum := 0.0
	for _, e := range eps {
		d.AcceptedOnTime += b2i(e.acceptedOnTime)
		d.HandledOnTime += b2i(e.handledOnTime)
		d.Returned += b2i(e.returned)
		d.Supervised += b2i(e.supervised)
		d.Rehandled += b2i(e.rehandled)
		if pts, ok := ratingPoints[e.rating]; ok {
			d.Rated++
			sum += pts
			d.Unsatisfied += b2i(e.rating == domain.RatingUnsatisfied)
		}
	}
	if d.Rated > 0 {
		avg := sum / float64(d.Rated)
		d.AvgRating = &avg
	}
	d.Score = reviewScore(d)
	return d
}

// reviewScore is the documented score of a department's figures, nil when it received nothing.
func reviewScore(d DeptReview) *float64 {
	if d.Received == 0 {
		return nil
	}
	n := float64(d.Received)
	w := scoreWeights
	total := w.accepted + w.handled + w.returned + w.supervised
	got := w.accepted*float64(d.AcceptedOnTime)/n + w.handled*float64(d.HandledOnTime)/n +
		w.returned*(1-float64(d.Returned)/n) + w.supervised*(1-float64(d.Supervised)/n)
	if d.AvgRating != nil {
		total += w.rating
		got += w.rating * (*d.AvgRating - 1) / 2
	}
	s := math.Round(1000*got/total) / 10
	return &s
}

// compareReviews orders departments best first: by score, then more cases received, then code;
// departments without a score last.
func compareReviews(a, b DeptReview) int {
	switch {
	case a.Score != nil && b.Score == nil:
		return -1
	case a.Score == nil && b.Score != nil:
		return 1
	case a.Score != nil && *a.Score != *b.Score:
		if *a.Score > *b.Score {
			return -1
		}
		return 1
	case a.Received != b.Received:
		return b.Received - a.Received
	}
	return strings.Compare(a.Code, b.Code)
}

// ReviewFiguresOf computes the figures of every department for the period.
func (c *Console) ReviewFiguresOf(ctx context.Context, p ReviewPeriod, from, to time.Time) (ReviewFigures, error) {
	rs, ok := c.st.(ReviewStore)
	if !ok {
		return ReviewFigures{}, fmt.Errorf("review figures: store has no review support")
	}
	eps, _, err := c.reviewEpisodes(ctx, rs, from, to)
	if err != nil {
		return ReviewFigures{}, err
	}
	names, err := c.loadRefs(ctx)
	if err != nil {
		return ReviewFigures{}, err
	}
	out := ReviewFigures{Period: p, Departments: []DeptReview{}}
	seen := map[string]bool{}
	for _, d := range names.Departments { // every active department, with cases or not
		seen[d.Code] = true
		out.Departments = append(out.Departments, deptReview(d.Code, d.Name, eps[d.Code]))
	}
	for code, e := range eps { // and retired ones that received cases
		if !seen[code] {
			name := names.dept[code]
			if name == "" && len(e) > 0 {
				name = e[0].c.DeptName
			}
			out.Departments = append(out.Departments, deptReview(code, name, e))
		}
	}
	slices.SortFunc(out.Departments, compareReviews)
	return out, nil
}

func (c *Console) periodOf(w http.ResponseWriter, r *http.Request) (ReviewPeriod, time.Time, time.Time, bool) {
	key := r.URL.Query().Get("period")
	if key == "" {
		now := c.cfg.Now().In(c.location())
		key = now.Format("2006-01")
	}
	p, from, to, ok := parsePeriod(key, c.location())
	if !ok {
		httpjson.Write(w, http.StatusBadRequest, APIError{Code: domain.CodeReviewBadPeriod,
			Message: text.Message(text.ZhCN, domain.CodeReviewBadPeriod, nil)})
	}
	return p, from, to, ok
}

func (c *Console) reviewFigures(w http.ResponseWriter, r *http.Request, _ *principal) {
	p, from, to, ok := c.periodOf(w, r)
	if !ok {
		return
	}
	f, err := c.ReviewFiguresOf(r.Context(), p, from, to)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, f)
}

func (c *Console) reviewCases(w http.ResponseWriter, r *http.Request, _ *principal) {
	p, from, to, ok := c.periodOf(w, r)
	if !ok {
		return
	}
	rs, _ := c.st.(ReviewStore)
	ctx := r.Context()
	eps, _, err := c.reviewEpisodes(ctx, rs, from, to)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	names, err := c.loadRefs(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	code := r.PathValue("dept")
	list := eps[code]
	name := names.dept[code]
	if name == "" {
		if len(list) == 0 {
			httpjson.Write(w, http.StatusNotFound, APIError{Code: domain.CodeReviewNoDept,
				Message: text.Message(text.ZhCN, domain.CodeReviewNoDept, nil)})
			return
		}
		name = list[0].c.DeptName
	}
	out := ReviewCases{Period: p, Dept: deptReview(code, name, list), Cases: []ReviewCase{}}
	slices.SortFunc(list, func(a, b *episode) int { return a.assignedAt.Compare(b.assignedAt) })
	for _, e := range list {
		rc := ReviewCase{ID: e.c.ID, Number: e.c.Number, Category: names.category[e.c.Category], State: string(e.c.State),
			AssignedAt: e.assignedAt.UTC().Format(time.RFC3339), Due: e.due.UTC().Format(time.RFC3339),
			AcceptedOnTime: e.acceptedOnTime, HandledOnTime: e.handledOnTime, Returned: e.returned,
			Supervised: e.supervised, Rating: string(e.rating), Rehandled: e.rehandled}
		if rc.Category == "" {
			rc.Category = e.c.Category
		}
		if !e.repliedAt.IsZero() {
			rc.RepliedAt = e.repliedAt.UTC().Format(time.RFC3339)
		}
		out.Cases = append(out.Cases, rc)
	}
	httpjson.Write(w, http.StatusOK, out)
}
