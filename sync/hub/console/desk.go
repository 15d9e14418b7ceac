package console

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// Page sizes of the case list.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
	summaryRunes   = 40
	soonWithin     = 24 * time.Hour
)

// CaseRow is a case of the list: the case (without the resident's contact) plus its
// deadline, how it stands against it, its category's name and a short scrubbed summary.
type CaseRow struct {
	domain.Case
	Deadline     time.Time `json:"deadline,omitzero"`
	SLA          string    `json:"sla"` // one of SLAs()
	CategoryName string    `json:"category_name"`
	Summary      string    `json:"summary"`
}

// How a case stands against its deadline (CaseRow.SLA).
const (
	SLAOK      = "ok"
	SLASoon    = "soon"
	SLAOverdue = "overdue"
)

// SLAs are the values of CaseRow.SLA.
func SLAs() []string { return []string{SLAOK, SLASoon, SLAOverdue} }

// CaseList is the body of GET /api/v1/cases.
type CaseList struct {
	Cases   []CaseRow      `json:"cases"`
	Total   int            `json:"total"`
	Page    int            `json:"page"`
	PerPage int            `json:"per_page"`
	Counts  map[string]int `json:"counts"`
}

// private drops what the console shows only on an audited request.
func private(c domain.Case) domain.Case {
	c.Phone, c.ResidentID = "", ""
	return c
}

func (c *Console) row(cs domain.Case, names refs, now time.Time) CaseRow {
	rules := names.rules
	r := CaseRow{Case: private(cs), Deadline: domain.Deadline(cs, rules), SLA: SLAOK,
		CategoryName: names.category[cs.Category], Summary: summary(cs.Text)}
	switch {
	case domain.Overdue(cs, now, rules):
		r.SLA = SLAOverdue
	case cs.Open() && cs.State != domain.StateReplied && !r.Deadline.IsZero() && r.Deadline.Sub(now) <= soonWithin:
		r.SLA = SLASoon
	}
	if r.CategoryName == "" {
		r.CategoryName = cs.Category
	}
	return r
}

func summary(text string) string {
	s := []rune(strings.Join(strings.Fields(domain.ScrubText(text)), " "))
	if len(s) > summaryRunes {
		return string(s[:summaryRunes]) + "…"
	}
	return string(s)
}

// errBadFilter carries the registered code of an unusable filter.
type errBadFilter struct{ code string }

func (e *errBadFilter) Error() string { return e.code }

// filter reads the list's filters from a query string and narrows them to what p may see:
// a department's people see only its cases, a representative only the cases they lead.
func (c *Console) filter(ctx context.Context, p *principal, q url.Values) (store.DeskFilter, error) {
	now := c.cfg.Now()
	loc := c.location()
	local := now.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	f := store.DeskFilter{State: domain.State(q.Get("state")), Dept: q.Get("dept"),
		Category: q.Get("category"), Community: q.Get("community"), Rep: q.Get("rep"),
		Station: q.Get("station"), Overdue: q.Get("overdue") == "1", Query: q.Get("q"),
		Tab: q.Get("tab"), Now: now, TodayStart: today, TomorrowStart: today.AddDate(0, 0, 1)}
	if f.State != "" && !domain.KnownState(f.State) {
		return f, &errBadFilter{domain.CodeBadState}
	}
	if f.Tab == "" {
		f.Tab = store.TabAll
	}
	known := false
	for _, t := range store.Tabs() {
		known = known || t == f.Tab
	}
	if !known {
		return f, &errBadFilter{domain.CodeBadTab}
	}
	switch p.User.Role {
	case store.RoleDepartment:
		f.Dept = p.User.DeptCode
	case store.RoleRepresentative:
		f.Rep = p.User.RepID
	}
	if q.Get("node") == "" && q.Get("escalated") == "" && !areaBound(p.User) {
		return f, nil
	}
	tree, err := c.orgTree(ctx)
	if err != nil {
		return f, err
	}
	node, err := viewNode(p, tree, q.Get("node"))
	if err != nil {
		return f, &errBadFilter{domain.CodeBadNode}
	}
	f.Stations = tree.StationsUnder(node)
	if q.Get("escalated") == "1" {
		// the cases handed up to the node in view; at the whole hub, every escalated case
		f.EscalatedTo = node
		if node == "" {
			f.EscalatedTo = store.AnyNode
		}
	}
	return f, nil
}

func pageParams(q url.Values) (page, per int) {
	page, _ = strconv.Atoi(q.Get("page"))
	per, _ = strconv.Atoi(q.Get("per_page"))
	if page < 1 {
		page = 1
	}
	if per < 1 {
		per = DefaultPerPage
	}
	return page, min(per, MaxPerPage)
}

func (c *Console) listCases(w http.ResponseWriter, r *http.Request, p *principal) {
	q := r.URL.Query()
	f, err := c.filter(r.Context(), p, q)
	var bad *errBadFilter
	if errors.As(err, &bad) {
		writeError(w, http.StatusBadRequest, bad.code)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	page, per := pageParams(q)
	f.Offset, f.Limit, f.Counts = (page-1)*per, per, true
	res, err := c.st.Desk(r.Context(), f)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	names, err := c.loadRefs(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	out := CaseList{Cases: make([]CaseRow, 0, len(res.Cases)), Total: res.Total, Page: page, PerPage: per,
		Counts: res.Counts}
	for _, cs := range res.Cases {
		out.Cases = append(out.Cases, c.row(cs, names, f.Now))
	}
	httpjson.Write(w, http.StatusOK, out)
}

// findCase accepts a case id or its number.
func (c *Console) findCase(ctx context.Context, ref string) (domain.Case, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return domain.Case{}, store.ErrNotFound
	}
	cs, err := c.st.Case(ctx, ref)
	if errors.Is(err, store.ErrNotFound) {
		return c.st.CaseByNumber(ctx, ref)
	}
	return cs, err
}

// visible reports whether p may see a case: a department only its own, a representative only
// those they lead or co-handle, staff and admins those of the stations in their area.
func visible(p *principal, tree *domain.OrgTree, cs domain.Case) bool {
	switch p.User.Role {
	case store.RoleDepartment:
		return cs.DeptCode != "" && cs.DeptCode == p.User.DeptCode
	case store.RoleRepresentative:
		if cs.RepID == p.User.RepID {
			return true
		}
		for _, h := range cs.CoHandlers {
			if h.RepID == p.User.RepID {
				return true
			}
		}
		return false
	}
	return inArea(p, tree, cs)
}

// scopedCase finds a case p may see; ErrCaseNotFound otherwise, so a department cannot tell
// another's case from no case.
func (c *Console) scopedCase(ctx context.Context, p *principal, ref string) (domain.Case, error) {
	cs, err := c.findCase(ctx, ref)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return domain.Case{}, ErrCaseNotFound
		}
		return cs, err
	}
	tree, err := c.orgTree(ctx)
	if err != nil {
		return cs, err
	}
	if !visible(p, tree, cs) {
		return domain.Case{}, ErrCaseNotFound
	}
	return cs, nil
}

// CaseDetail is the body of GET /api/v1/cases/{id} and of a successful action.
type CaseDetail struct {
	Case      CaseRow         `json:"case"`
	Timeline  []TimelineEntry `json:"timeline"`
	StatusURL string          `json:"status_url"`
	Allowed   []ActionInfo    `json:"allowed"`
	// Level is the organisation node that owns the case now (its street, or the node it was
	// escalated to; "" when the hub has no levels); Departments are those it may be assigned
	// to from there, EscalateTo the level above (absent when there is none) and
	// EscalateTargets every node above it the case may be handed up to, nearest first.
	Level           string          `json:"level"`
	LevelName       string          `json:"level_name"`
	Departments     []RefDepartment `json:"departments"`
	EscalateTo      *RefNode        `json:"escalate_to,omitempty"`
	EscalateTargets []RefNode       `json:"escalate_targets"`
}

// StatusURL is the public status page of a case under the hub's base URL.
func StatusURL(base string, cs domain.Case) string {
	return strings.TrimRight(base, "/") + "/c/" + url.PathEscape(cs.Number) + "?t=" + url.QueryEscape(cs.Token)
}

func (c *Console) detail(ctx context.Context, p *principal, cs domain.Case) (CaseDetail, error) {
	evs, err := c.st.StreamEvents(ctx, cs.ID)
	if err != nil {
		return CaseDetail{}, err
	}
	names, err := c.loadRefs(ctx)
	if err != nil {
		return CaseDetail{}, err
	}
	tree := names.tree
	d := CaseDetail{Case: c.row(cs, names, c.cfg.Now()), Timeline: c.timeline(ctx, p, cs, evs, names),
		StatusURL: StatusURL(c.cfg.PublicURL, cs), Allowed: c.allowed(p, tree, cs),
		Level: tree.CaseLevel(cs), Departments: assignable(tree, cs, names.depts)}
	if d.Level != "" {
		d.LevelName = tree.NodeName(d.Level)
	}
	d.EscalateTargets = []RefNode{}
	if up, err := escalation(tree, cs, "", ""); err == nil {
		// the account sees the nodes above its area here only: its reference lists stop at it
		for _, code := range tree.Path(up.To) {
			if n, _ := tree.Node(code); !n.Retired {
				d.EscalateTargets = append(d.EscalateTargets, refNode(n))
			}
		}
		d.EscalateTo = &d.EscalateTargets[0] // up.To, which escalation found not retired
	}
	return d, nil
}

func (c *Console) getCase(w http.ResponseWriter, r *http.Request, p *principal) {
	cs, ok := c.pathCase(w, r, p)
	if !ok {
		return
	}
	c.writeDetail(w, r, p, cs)
}

// pathCase is the case named by the request's path as p may see it; when there is none it
// answers (404 for a case p may not see, as for one that does not exist) and returns false.
func (c *Console) pathCase(w http.ResponseWriter, r *http.Request, p *principal) (domain.Case, bool) {
	cs, err := c.scopedCase(r.Context(), p, r.PathValue("id"))
	if errors.Is(err, ErrCaseNotFound) {
		writeError(w, http.StatusNotFound, domain.CodeCaseNotFound)
		return cs, false
	}
	if err != nil {
		c.internal(w, r, err)
		return cs, false
	}
	return cs, true
}

// writeDetail answers with the case's detail as p may see it.
func (c *Console) writeDetail(w http.ResponseWriter, r *http.Request, p *principal, cs domain.Case) {
	d, err := c.detail(r.Context(), p, cs)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, d)
}
