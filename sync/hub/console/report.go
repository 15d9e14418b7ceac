package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hotword"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// The monthly report (民情报告) covers the cases received in a month (by submission time in
// the stations' zone), as they stand when the report is made, with the rates of
// docs/case-lifecycle.md computed by domain.Tally over them. Department figures count each
// case under the department it is with now. The month before is counted the same way, as it
// stands now, so every change against last month compares like with like.

// Monthly is the body of GET /api/v1/reports/monthly.
type Monthly struct {
	Month string `json:"month"`
	// Node is the area the report covers (an organisation node's code, "" for the whole hub)
	// and Area its name ("" for the whole hub).
	Node             string    `json:"node"`
	Area             string    `json:"area"`
	AsOf             time.Time `json:"as_of"` // when the report was made: the cases stand as then
	Received         int       `json:"received"`
	AcceptedOnTime   int       `json:"accepted_on_time"` // accepted within the accept deadline
	HandledOnTime    int       `json:"handled_on_time"`  // replied no later than the due date
	ResponseRate     float64   `json:"response_rate"`
	CompletionRate   float64   `json:"completion_rate"`
	SatisfactionRate float64   `json:"satisfaction_rate"`
	Closed           int       `json:"closed"`
	Rated            int       `json:"rated"`
	Overdue          int       `json:"overdue"`

	// ByArea are the areas directly beneath the report's (organisation nodes, then stations),
	// in the tree's order, each with its own figures: the report's drill-down. Every area is
	// listed, with no cases too.
	ByArea       []GroupFigures `json:"by_area"`
	ByCategory   []GroupFigures `json:"by_category"`
	ByCommunity  []GroupFigures `json:"by_community"`
	ByDepartment []DeptFigures  `json:"by_department"`

	// Previous is the month before, counted the same way.
	Previous MonthFigures `json:"previous"`
	// HotTopics are the words found in the most of the month's cases (at least
	// HotTopicMinCases), most first, at most HotTopicCount.
	HotTopics []HotTopic `json:"hot_topics"`
	// HotTopicsPending: the word dictionary was still loading (the first report after the hub
	// started); HotTopics is empty and a report asked for a few seconds later has them.
	HotTopicsPending bool `json:"hot_topics_pending"`
	// OverdueCases are the month's cases past their deadline now (as many as Overdue), the
	// longest overdue first.
	OverdueCases []OverdueCase `json:"overdue_cases"`
}

// MonthFigures are the headline figures of a month.
type MonthFigures struct {
	Month            string  `json:"month"`
	Received         int     `json:"received"`
	AcceptedOnTime   int     `json:"accepted_on_time"`
	HandledOnTime    int     `json:"handled_on_time"`
	ResponseRate     float64 `json:"response_rate"`
	CompletionRate   float64 `json:"completion_rate"`
	SatisfactionRate float64 `json:"satisfaction_rate"`
	Closed           int     `json:"closed"`
	Rated            int     `json:"rated"`
	Overdue          int     `json:"overdue"`
}

// HotTopic is a word residents used and in how many cases of the month and of the month
// before; Change is Cases − PrevCases.
type HotTopic struct {
	Word      string `json:"word"`
	Cases     int    `json:"cases"`
	PrevCases int    `json:"prev_cases"`
	Change    int    `json:"change"`
}

// The hot topics of a report: like the wall's hot words, a word of a single case is not a
// topic.
const (
	HotTopicCount    = 10
	HotTopicMinCases = 2
)

// Whose turn an overdue case waits on (domain.Deadline's parties).
const (
	TurnAccept = "accept" // 受理: staff or a representative must accept it
	TurnAssign = "assign" // 交办: staff must assign it to a department
	TurnHandle = "handle" // 办理: the department must reply
)

// OverdueTurns lists the values of OverdueCase.Turn.
func OverdueTurns() []string { return []string{TurnAccept, TurnAssign, TurnHandle} }

// OverdueCase is a case past its deadline and why: whose turn it is, since when, the
// deadline it missed, how often it was supervised (督办) and the latest note on it.
type OverdueCase struct {
	ID         string       `json:"id"`
	Number     string       `json:"number"`
	Category   string       `json:"category"` // the category's name
	Community  string       `json:"community"`
	State      domain.State `json:"state"`
	Turn       string       `json:"turn"` // TurnAccept, TurnAssign or TurnHandle
	RepName    string       `json:"rep_name"`
	DeptCode   string       `json:"dept_code"`
	DeptName   string       `json:"dept_name"`
	Since      time.Time    `json:"since"`    // when the case came to the party whose turn it is
	Deadline   time.Time    `json:"deadline"` // the deadline it missed
	Supervised int          `json:"supervised"`
	LatestNote *NoteLine    `json:"latest_note"` // null when nobody wrote one
}

// NoteLine is a note written on a case: a progress note, a 督办, a 退单 reason ….
type NoteLine struct {
	At    time.Time `json:"at"`
	Label string    `json:"label"` // 办理进展, 督办, 退回重新交办 …
	Actor string    `json:"actor"`
	Text  string    `json:"text"`
}

// GroupFigures are a category's or a community's figures (a community's code is its name).
// PrevReceived is the group's cases received in the month before and Change is Received −
// PrevReceived; a group with cases last month only is listed with Received 0.
type GroupFigures struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Received     int    `json:"received"`
	Closed       int    `json:"closed"`
	Overdue      int    `json:"overdue"`
	PrevReceived int    `json:"prev_received"`
	Change       int    `json:"change"`
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

// MonthlyReport computes the report of the month that starts at start (stations' zone) over
// the stations beneath node (an organisation node's code; "" for the whole hub).
func (c *Console) MonthlyReport(ctx context.Context, start time.Time, node string) (Monthly, error) {
	now := c.cfg.Now()
	names, err := c.loadRefs(ctx)
	if err != nil {
		return Monthly{}, err
	}
	tree := names.tree
	var stations []string // nil: every station
	area := ""
	if node != "" {
		if _, ok := tree.Node(node); !ok {
			return Monthly{}, fmt.Errorf("%w: %q", ErrBadNode, node)
		}
		stations, area = tree.StationsUnder(node), tree.NodeName(node)
	}
	cur, err := c.monthCases(ctx, start, now, stations)
	if err != nil {
		return Monthly{}, err
	}
	prevStart := start.AddDate(0, -1, 0)
	prev, err := c.monthCases(ctx, prevStart, now, stations)
	if err != nil {
		return Monthly{}, err
	}
	rules := names.rules
	curFig, prevFig := monthFigures(start, cur, now, rules), monthFigures(prevStart, prev, now, rules)
	m := Monthly{Month: curFig.Month, Node: node, Area: area, AsOf: now, Received: curFig.Received, AcceptedOnTime: curFig.AcceptedOnTime,
		HandledOnTime: curFig.HandledOnTime, ResponseRate: curFig.ResponseRate, CompletionRate: curFig.CompletionRate,
		SatisfactionRate: curFig.SatisfactionRate, Closed: curFig.Closed, Rated: curFig.Rated, Overdue: curFig.Overdue,
		Previous: prevFig}
	catName := func(code string) string {
		if n := names.category[code]; n != "" {
			return n
		}
		return code
	}
	cats, comms := map[string]*GroupFigures{}, map[string]*GroupFigures{}
	group := func(g map[string]*GroupFigures, code, name string) *GroupFigures {
		if g[code] == nil {
			g[code] = &GroupFigures{Code: code, Name: name}
		}
		return g[code]
	}
	for _, cs := range prev {
		group(cats, cs.Category, catName(cs.Category)).PrevReceived++
		group(comms, cs.Community, cs.Community).PrevReceived++
	}
	for _, cs := range cur {
		closed, overdue := cs.State == domain.StateClosed, domain.Overdue(cs, now, rules)
		for _, g := range []*GroupFigures{group(cats, cs.Category, catName(cs.Category)), group(comms, cs.Community, cs.Community)} {
			g.Received++
			g.Closed += b2i(closed)
			g.Overdue += b2i(overdue)
		}
	}
	m.ByCategory, m.ByCommunity = sortedGroups(cats), sortedGroups(comms)
	m.ByArea = areaFigures(tree, node, cur, prev, now, rules)
	m.ByDepartment = DepartmentFigures(cur, names.dept)
	topics, err := c.hotTopics(ctx, cur, prev)
	if err != nil {
		return Monthly{}, err
	}
	m.HotTopics, m.HotTopicsPending = topics, topics == nil
	if topics == nil {
		m.HotTopics = []HotTopic{}
	}
	if m.OverdueCases, err = c.overdueCases(ctx, cur, now, names); err != nil {
		return Monthly{}, err
	}
	return m, nil
}

// monthCases are the cases submitted in the month that starts at start at the stations listed
// (nil: at every station).
func (c *Console) monthCases(ctx context.Context, start, now time.Time, stations []string) ([]domain.Case, error) {
	res, err := c.st.Desk(ctx, store.DeskFilter{SubmittedFrom: start, SubmittedTo: start.AddDate(0, 1, 0), Now: now,
		Stations: stations})
	if err != nil {
		return nil, err
	}
	return res.Cases, nil
}

// monthFigures are the headline figures of a month's cases as of now, by domain.Tally.
func monthFigures(start time.Time, cases []domain.Case, now time.Time, rules domain.Rules) MonthFigures {
	var tally domain.Tally
	handled := 0
	for _, cs := range cases {
		tally.Add(cs, now, rules)
		handled += b2i(repliedOnTime(cs))
	}
	r := tally.Rates()
	return MonthFigures{Month: start.Format("2006-01"), Received: r.Submitted, AcceptedOnTime: r.AcceptedOnTime,
		HandledOnTime: handled, ResponseRate: r.Response, CompletionRate: r.Completion,
		SatisfactionRate: r.Satisfaction, Closed: r.Closed, Rated: r.Rated, Overdue: r.Overdue}
}

// DepartmentFigures are the department figures of cases, each case counted under the
// department it is with now, most cases first; names maps department codes to their names.
// It is the one computation of per-department figures the console's pages share.
func DepartmentFigures(cases []domain.Case, names map[string]string) []DeptFigures {
	depts := map[string]*DeptFigures{}
	ratings := map[string][]float64{}
	for _, cs := range cases {
		if cs.DeptCode == "" {
			continue
		}
		d := depts[cs.DeptCode]
		if d == nil {
			d = &DeptFigures{Code: cs.DeptCode, Name: cs.DeptName}
			if n := names[cs.DeptCode]; n != "" {
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
	out := make([]DeptFigures, 0, len(depts))
	for code, d := range depts {
		if rs := ratings[code]; len(rs) > 0 {
			sum := 0.0
			for _, x := range rs {
				sum += x
			}
			avg := sum / float64(len(rs))
			d.AvgRating = &avg
		}
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b DeptFigures) int {
		if a.Assigned != b.Assigned {
			return b.Assigned - a.Assigned
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out
}

// hotTopics counts in how many cases of each month a word occurs and lists the month's top
// words with last month's count beside them. The hub's stop list (词表) is left out, as the
// wall leaves it out. It returns nil (and no error) while the segmenter is still loading.
func (c *Console) hotTopics(ctx context.Context, cur, prev []domain.Case) ([]HotTopic, error) {
	lists, err := decodeRefs[domain.WordList](ctx, c.st, domain.KindWordListUpserted)
	if err != nil {
		return nil, err
	}
	stop := map[string]bool{}
	for _, l := range lists {
		if l.Name == domain.WordsHotStop {
			for _, w := range l.Words {
				stop[strings.TrimSpace(w)] = true
			}
		}
	}
	texts := func(cases []domain.Case) []string {
		out := make([]string, len(cases))
		for i, cs := range cases {
			out[i] = cs.Text
		}
		return out
	}
	tok, err := c.hot.tokenizer(ctx)
	if err != nil || tok == nil {
		return nil, err
	}
	curCounts, prevCounts := c.hot.count(tok, texts(cur)), c.hot.count(tok, texts(prev))
	out := []HotTopic{}
	for w, n := range curCounts {
		if n >= HotTopicMinCases && !stop[w] {
			out = append(out, HotTopic{Word: w, Cases: n, PrevCases: prevCounts[w], Change: n - prevCounts[w]})
		}
	}
	slices.SortFunc(out, func(a, b HotTopic) int {
		if a.Cases != b.Cases {
			return b.Cases - a.Cases
		}
		return strings.Compare(a.Word, b.Word)
	})
	if len(out) > HotTopicCount {
		out = out[:HotTopicCount]
	}
	return out, nil
}

// overdueCases lists the cases past their deadline now, the longest overdue first, each
// with whose turn it is and the latest note written on it.
func (c *Console) overdueCases(ctx context.Context, cases []domain.Case, now time.Time, names refs) ([]OverdueCase, error) {
	out := []OverdueCase{}
	for _, cs := range cases {
		if !domain.Overdue(cs, now, names.rules) {
			continue
		}
		o := OverdueCase{ID: cs.ID, Number: cs.Number, Category: names.category[cs.Category], Community: cs.Community,
			State: cs.State, RepName: cs.RepName, DeptCode: cs.DeptCode, DeptName: cs.DeptName,
			Deadline: domain.Deadline(cs, names.rules), Supervised: cs.SupervisedCount}
		if o.Category == "" {
			o.Category = cs.Category
		}
		if n := names.dept[cs.DeptCode]; n != "" {
			o.DeptName = n
		}
		switch cs.State {
		case domain.StateSubmitted:
			o.Turn, o.Since = TurnAccept, cs.SubmittedAt
		case domain.StateAccepted:
			o.Turn, o.Since = TurnAssign, cs.AcceptedAt
		case domain.StateReturned:
			o.Turn, o.Since = TurnAssign, cs.ReturnedAt
		case domain.StateReopened:
			o.Turn, o.Since = TurnHandle, cs.ReopenedAt
		default: // assigned, in progress
			o.Turn, o.Since = TurnHandle, cs.AssignedAt
		}
		evs, err := c.st.StreamEvents(ctx, cs.ID)
		if err != nil {
			return nil, err
		}
		o.LatestNote = latestNote(cs, evs, names.rules)
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b OverdueCase) int {
		if d := a.Deadline.Compare(b.Deadline); d != 0 {
			return d
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out, nil
}

// latestNote is the newest effective event of a case that carries a note (a progress note,
// a 督办, a 退单 reason …), with phone and ID numbers scrubbed: the report is printed.
func latestNote(cs domain.Case, evs []domain.Event, rules domain.Rules) *NoteLine {
	caseEvs := make([]domain.Event, 0, len(evs))
	for _, ev := range evs {
		if ev.Kind.IsCase() {
			caseEvs = append(caseEvs, ev)
		}
	}
	_, applied := domain.Fold(caseEvs, rules)
	effective := make(map[string]bool, len(applied))
	for _, a := range applied {
		effective[a.EventID] = a.Effective
	}
	for i := len(caseEvs) - 1; i >= 0; i-- {
		ev := caseEvs[i]
		var p struct {
			Note string `json:"note"`
		}
		if !effective[ev.ID] || json.Unmarshal(ev.Data, &p) != nil || strings.TrimSpace(p.Note) == "" {
			continue
		}
		return &NoteLine{At: ev.At, Label: text.Label(text.ZhCN, ev),
			Actor: text.Actor(text.ZhCN, ev.Actor, text.Submitter(text.ZhCN, cs)), Text: domain.ScrubText(p.Note)}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// areaFigures are the figures of each area directly beneath node, in the tree's order: its
// organisation nodes, then its own stations.
func areaFigures(tree *domain.OrgTree, node string, cur, prev []domain.Case, now time.Time, rules domain.Rules) []GroupFigures {
	out := []GroupFigures{}
	of := map[string]int{} // station → its area's index in out
	nodes, stations := tree.Children(node)
	for _, n := range nodes {
		for _, st := range tree.StationsUnder(n.Code) {
			of[st] = len(out)
		}
		out = append(out, GroupFigures{Code: n.Code, Name: n.Name})
	}
	for _, st := range stations {
		of[st] = len(out)
		out = append(out, GroupFigures{Code: st, Name: tree.StationName(st)})
	}
	for _, cs := range prev {
		if i, ok := of[cs.Station]; ok {
			out[i].PrevReceived++
		}
	}
	for _, cs := range cur {
		if i, ok := of[cs.Station]; ok {
			out[i].Received++
			out[i].Closed += b2i(cs.State == domain.StateClosed)
			out[i].Overdue += b2i(domain.Overdue(cs, now, rules))
		}
	}
	for i := range out {
		out[i].Change = out[i].Received - out[i].PrevReceived
	}
	return out
}

// sortedGroups lists groups by the number of cases received, most first, then by last
// month's, then by code.
func sortedGroups(g map[string]*GroupFigures) []GroupFigures {
	out := make([]GroupFigures, 0, len(g))
	for _, x := range g {
		out = append(out, *x)
	}
	for i := range out {
		out[i].Change = out[i].Received - out[i].PrevReceived
	}
	slices.SortFunc(out, func(a, b GroupFigures) int {
		if a.Received != b.Received {
			return b.Received - a.Received
		}
		if a.PrevReceived != b.PrevReceived {
			return b.PrevReceived - a.PrevReceived
		}
		return strings.Compare(a.Code, b.Code)
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
			writeError(w, http.StatusBadRequest, domain.CodeBadMonth)
			return
		}
		start = t
	}
	node := r.URL.Query().Get("node")
	if node != "" || areaBound(p.User) {
		tree, err := c.orgTree(r.Context())
		if err != nil {
			c.internal(w, r, err)
			return
		}
		if node, err = viewNode(p, tree, node); err != nil {
			writeError(w, http.StatusBadRequest, domain.CodeBadNode)
			return
		}
	}
	m, err := c.MonthlyReport(r.Context(), start, node)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, m)
}

// hotWords owns the report's segmenter. The first report after the hub starts begins loading
// it in the background (seconds, ~128 MB, see docs/wall.md) and waits for it at most
// HotWordsWait, well inside the server's write timeout; a report made before it is loaded
// says its hot topics are pending and the console asks again. Once loaded it is kept; a load
// that failed is begun again by the next report. Segmenting is serialized, as a gse segmenter
// is used by one caller at a time.
type hotWords struct {
	load func() (*hotword.Tokenizer, error)
	wait time.Duration

	mu      sync.Mutex
	tok     *hotword.Tokenizer
	loading chan struct{} // closed when the load under way ends; nil when none is
	err     error         // the last load's error

	seg sync.Mutex // held while segmenting
}

// tokenizer returns the loaded segmenter, or nil when it is still loading after the wait.
func (h *hotWords) tokenizer(ctx context.Context) (*hotword.Tokenizer, error) {
	h.mu.Lock()
	if h.tok != nil {
		defer h.mu.Unlock()
		return h.tok, nil
	}
	done := h.loading
	if done == nil {
		done = make(chan struct{})
		h.loading = done
		go h.run(done)
	}
	h.mu.Unlock()
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		return nil, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.tok == nil {
		return nil, fmt.Errorf("load hot-word dictionary: %w", h.err)
	}
	return h.tok, nil
}

func (h *hotWords) run(done chan struct{}) {
	tok, err := h.load()
	h.mu.Lock()
	h.tok, h.err, h.loading = tok, err, nil
	h.mu.Unlock()
	close(done)
}

// count returns in how many of texts each word occurs.
func (h *hotWords) count(tok *hotword.Tokenizer, texts []string) map[string]int {
	h.seg.Lock()
	defer h.seg.Unlock()
	counts := map[string]int{}
	for _, t := range texts {
		for _, w := range tok.Words(t) {
			counts[w]++
		}
	}
	return counts
}
