package console

import (
	"context"
	"net/http"
	"slices"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// The monthly report covers the cases received in a month (by submission time in the
// stations' zone), as they stand when the report is made, with the rates of
// docs/case-lifecycle.md computed by domain.Tally over them. Department figures count each
// case under the department it is with now.

// Monthly is the body of GET /api/v1/reports/monthly.
type Monthly struct {
	Month            string  `json:"month"`
	Received         int     `json:"received"`
	AcceptedOnTime   int     `json:"accepted_on_time"` // accepted within the accept deadline
	HandledOnTime    int     `json:"handled_on_time"`  // replied no later than the due date
	ResponseRate     float64 `json:"response_rate"`
	CompletionRate   float64 `json:"completion_rate"`
	SatisfactionRate float64 `json:"satisfaction_rate"`
	Closed           int     `json:"closed"`
	Rated            int     `json:"rated"`
	Overdue          int     `json:"overdue"`

	ByCategory   []GroupFigures `json:"by_category"`
	ByCommunity  []GroupFigures `json:"by_community"`
	ByDepartment []DeptFigures  `json:"by_department"`
}

// GroupFigures are a category's or a community's figures (a community's code is its name).
type GroupFigures struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Received int    `json:"received"`
	Closed   int    `json:"closed"`
	Overdue  int    `json:"overdue"`
}

// DeptFigures are a department's figures. AvgRating is the mean rating of its rated cases
// (满意 3, 基本满意 2, 不满意 1), null when none was rated.
type DeptFigures struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Assigned   int      `json:"assigned"`
	OnTime     int      `json:"on_time"`    // replied no later than the due date
	Returned   int      `json:"returned"`   // returned (退单) at least once
	Supervised int      `json:"supervised"` // supervised (督办) at least once
	AvgRating  *float64 `json:"avg_rating"`
}

var ratingPoints = map[domain.Rating]float64{
	domain.RatingSatisfied: 3, domain.RatingBasically: 2, domain.RatingUnsatisfied: 1,
}

// repliedOnTime: the reply came no later than the due date the case had.
func repliedOnTime(cs domain.Case) bool {
	return !cs.RepliedAt.IsZero() && !cs.Due.IsZero() && !cs.RepliedAt.After(cs.Due)
}

// MonthlyReport computes the report of the month that starts at start (stations' zone).
func (c *Console) MonthlyReport(ctx context.Context, start time.Time) (Monthly, error) {
	now := c.cfg.Now()
	res, err := c.st.Desk(ctx, store.DeskFilter{SubmittedFrom: start, SubmittedTo: start.AddDate(0, 1, 0), Now: now})
	if err != nil {
		return Monthly{}, err
	}
	names, err := c.loadRefs(ctx)
	if err != nil {
		return Monthly{}, err
	}
	rules := names.rules
	m := Monthly{Month: start.Format("2006-01")}
	var tally domain.Tally
	cats, comms := map[string]*GroupFigures{}, map[string]*GroupFigures{}
	depts := map[string]*DeptFigures{}
	ratings := map[string][]float64{}
	group := func(g map[string]*GroupFigures, code, name string) *GroupFigures {
		if g[code] == nil {
			g[code] = &GroupFigures{Code: code, Name: name}
		}
		return g[code]
	}
	for _, cs := range res.Cases {
		tally.Add(cs, now, rules)
		closed, overdue := cs.State == domain.StateClosed, domain.Overdue(cs, now, rules)
		if repliedOnTime(cs) {
			m.HandledOnTime++
		}
		name := names.category[cs.Category]
		if name == "" {
			name = cs.Category
		}
		for _, g := range []*GroupFigures{group(cats, cs.Category, name), group(comms, cs.Community, cs.Community)} {
			g.Received++
			g.Closed += b2i(closed)
			g.Overdue += b2i(overdue)
		}
		if cs.DeptCode == "" {
			continue
		}
		d := depts[cs.DeptCode]
		if d == nil {
			d = &DeptFigures{Code: cs.DeptCode, Name: cs.DeptName}
			if n := names.dept[cs.DeptCode]; n != "" {
				d.Name = n
			}
			depts[cs.DeptCode] = d
		}
		d.Assigned++
		d.OnTime += b2i(repliedOnTime(cs))
		d.Returned += b2i(cs.ReturnCount > 0)
		d.Supervised += b2i(cs.SupervisedCount > 0)
		if pts, ok := ratingPoints[cs.Rating]; ok {
			ratings[cs.DeptCode] = append(ratings[cs.DeptCode], pts)
		}
	}
	r := tally.Rates()
	m.Received, m.AcceptedOnTime, m.Closed, m.Rated, m.Overdue = r.Submitted, r.AcceptedOnTime, r.Closed, r.Rated, r.Overdue
	m.ResponseRate, m.CompletionRate, m.SatisfactionRate = r.Response, r.Completion, r.Satisfaction
	m.ByCategory, m.ByCommunity = sortedGroups(cats), sortedGroups(comms)
	m.ByDepartment = make([]DeptFigures, 0, len(depts))
	for code, d := range depts {
		if rs := ratings[code]; len(rs) > 0 {
			sum := 0.0
			for _, x := range rs {
				sum += x
			}
			avg := sum / float64(len(rs))
			d.AvgRating = &avg
		}
		m.ByDepartment = append(m.ByDepartment, *d)
	}
	slices.SortFunc(m.ByDepartment, func(a, b DeptFigures) int { return b.Assigned - a.Assigned })
	return m, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sortedGroups lists groups by the number of cases received, most first, then by code.
func sortedGroups(g map[string]*GroupFigures) []GroupFigures {
	out := make([]GroupFigures, 0, len(g))
	for _, x := range g {
		out = append(out, *x)
	}
	slices.SortFunc(out, func(a, b GroupFigures) int {
		if a.Received != b.Received {
			return b.Received - a.Received
		}
		if a.Code < b.Code {
			return -1
		}
		return 1
	})
	return out
}

func (c *Console) monthly(w http.ResponseWriter, r *http.Request, p *principal) {
	loc := c.location()
	month := r.URL.Query().Get("month")
	var start time.Time
	if month == "" {
		now := c.cfg.Now().In(loc)
		start = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	} else {
		t, err := time.ParseInLocation("2006-01", month, loc)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_month", "月份格式应为 YYYY-MM")
			return
		}
		start = t
	}
	m, err := c.MonthlyReport(r.Context(), start)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, m)
}
