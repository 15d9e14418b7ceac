package console_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hotword"
	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// reportDict is a small dictionary in gse's format for the report's hot topics: enough for
// the test texts, and loaded at once where the embedded one takes seconds.
const reportDict = `路灯 50 n
小区 80 n
门口 40 n
出行 30 v
安全 60 a
停车位 30 n
电动车 20 n
充电桩 20 n
菜市场 20 n
占道经营 10 l
交通 40 n
拥堵 20 v
楼道 20 n
堆放 10 v
杂物 10 n
`

func reportTokenizer() (*hotword.Tokenizer, error) { return hotword.NewFromDict(reportDict) }

var cst = time.FixedZone("CST", 8*3600)

// at is a time of 2027 in the stations' zone.
func at(month time.Month, day, hour int) time.Time {
	return time.Date(2027, month, day, hour, 0, 0, 0, cst)
}

// reportCases writes the cases of a report test: each submitted at a time of the fixture's
// clock, then taken on by events at later times.
type reportCases struct {
	t *testing.T
	f *fixture
	n int
}

var (
	resident = domain.Actor{Role: domain.RoleResident, ID: storetest.Resident, Name: "张*"}
	rep      = domain.Actor{Role: domain.RoleRepresentative, ID: "HX01-R01", Name: "张三"}
)

func dept(code string) domain.Actor {
	return domain.Actor{Role: domain.RoleDepartment, ID: code, Name: code}
}

// submit is a resident's case submitted on the kiosk at when; it returns its id.
func (r *reportCases) submit(when time.Time, category, community, text string) string {
	r.t.Helper()
	f := r.f
	f.clk.Set(when)
	if f.kiosk == nil {
		f.kiosk = &storetest.Facts{Dev: storetest.Pair(r.t, f.st, seed.StationCode, store.RoleKiosk, ""), Now: f.clk.Now}
	}
	r.n++
	number := domain.CaseNumber(seed.StationCode, f.kiosk.Dev.Code, when, r.n)
	ev := f.kiosk.SubmissionOf(r.t, number, domain.CaseSubmitted{Number: number, Category: category, Text: text, Community: community})
	r.apply(ev)
	return ev.Stream
}

func (r *reportCases) apply(ev domain.Event) {
	r.t.Helper()
	res, err := r.f.st.ApplyFacts(context.Background(), r.f.kiosk.Dev.ID, []domain.Event{ev})
	if err != nil || res.Applied != 1 {
		r.t.Fatalf("apply %s: %v %+v", ev.Kind, err, res)
	}
}

// act records an event on case id at when, as the hub records the desk's actions.
func (r *reportCases) act(id string, when time.Time, kind domain.Kind, actor domain.Actor, payload any) {
	r.t.Helper()
	r.f.clk.Set(when)
	if actor.Role == domain.RoleResident {
		r.apply(r.f.kiosk.Fact(r.t, id, kind, actor, payload))
		return
	}
	ev, err := r.f.st.Act(context.Background(), id, kind, actor, payload)
	if err != nil {
		r.t.Fatalf("%s on %s: %v", kind, id, err)
	}
	if cs, err := r.f.st.Case(context.Background(), id); err != nil || cs.Version == 0 || cs.UpdatedAt.Before(ev.At) {
		r.t.Fatalf("%s on %s did not take effect: %+v %v", kind, id, cs, err)
	}
}

// TestMonthlyReportTwoMonths builds January and February 2027 from events and checks every
// figure of February's report and its change against January.
func TestMonthlyReportTwoMonths(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := &reportCases{t: t, f: f}
	accept := domain.CaseAccepted{RepID: "HX01-R01", RepName: "张三"}
	assign := func(code string, due time.Time) domain.CaseAssigned {
		return domain.CaseAssigned{DeptCode: code, DeptName: code, Due: due.UTC()}
	}

	// January: three cases.
	p1 := r.submit(at(1, 5, 9), "env", "幸福里社区", "路灯不亮")
	r.act(p1, at(1, 5, 10), domain.KindCaseAccepted, staff, accept)
	r.act(p1, at(1, 5, 11), domain.KindCaseAssigned, staff, assign("JD-CG", at(1, 12, 18)))
	r.act(p1, at(1, 8, 10), domain.KindCaseReplied, dept("JD-CG"), domain.CaseReplied{Reply: "已修复"})
	r.act(p1, at(1, 10, 10), domain.KindCaseClosed, staff, domain.CaseNote{Note: "已办结"})
	r.submit(at(1, 12, 9), "other", "明月社区", "菜市场占道经营") // never accepted
	p3 := r.submit(at(1, 20, 9), "env", "幸福里社区", "小区路灯又坏了")
	r.act(p3, at(1, 20, 10), domain.KindCaseAccepted, rep, accept)
	r.act(p3, at(1, 21, 10), domain.KindCaseClosed, staff, domain.CaseNote{Note: "已现场解决"})

	// February: five cases.
	c1 := r.submit(at(2, 3, 9), "env", "幸福里社区", "小区路灯不亮，晚上出行不安全") // never accepted
	c2 := r.submit(at(2, 4, 9), "env", "幸福里社区", "路灯坏了，小区门口很黑")
	r.act(c2, at(2, 4, 10), domain.KindCaseAccepted, staff, accept)
	r.act(c2, at(2, 4, 11), domain.KindCaseAssigned, staff, assign("JD-CG", at(2, 9, 18)))
	r.act(c2, at(2, 5, 10), domain.KindCaseProgress, dept("JD-CG"), domain.CaseNote{Note: "已派人查看"})
	r.act(c2, at(2, 12, 10), domain.KindCaseSupervised, staff, domain.CaseNote{Note: "请抓紧办理"})
	r.act(c2, at(2, 20, 10), domain.KindCaseSupervised, staff, domain.CaseNote{Note: "再次督办，请回电 13800000000"})
	c3 := r.submit(at(2, 5, 9), "property", "长青社区", "电动车充电桩不够，楼道堆放杂物")
	r.act(c3, at(2, 5, 10), domain.KindCaseAccepted, staff, accept)
	r.act(c3, at(2, 5, 11), domain.KindCaseAssigned, staff, assign("Q-ZJ", at(2, 20, 18)))
	r.act(c3, at(2, 15, 10), domain.KindCaseReplied, dept("Q-ZJ"), domain.CaseReplied{Reply: "已增设充电桩"})
	r.act(c3, at(2, 16, 10), domain.KindCaseRated, resident, domain.CaseRated{Rating: domain.RatingSatisfied})
	c4 := r.submit(at(2, 10, 9), "property", "长青社区", "小区停车位紧张，路灯也不亮")
	r.act(c4, at(2, 10, 10), domain.KindCaseAccepted, rep, accept)
	c5 := r.submit(at(2, 26, 9), "traffic", "幸福里社区", "菜市场占道经营，交通拥堵，停车位不够")
	r.act(c5, at(2, 26, 10), domain.KindCaseAccepted, staff, accept)
	r.act(c5, at(2, 26, 11), domain.KindCaseAssigned, staff, assign("Q-JT", at(3, 20, 18)))

	// The stop list of the hub leaves 小区 out of the hot topics.
	words, _ := json.Marshal(domain.WordList{Name: domain.WordsHotStop, Words: []string{"小区"}})
	if _, err := f.st.PutRefs(context.Background(), []store.RefWrite{{Kind: domain.KindWordListUpserted,
		Key: domain.WordsHotStop, Data: words}}, staff); err != nil {
		t.Fatal(err)
	}

	now := at(3, 10, 10)
	f.clk.Set(now)
	resp, body := f.token(t, "wangzr").do(t, "GET", "/api/v1/reports/monthly?month=2027-02", nil)
	var m console.Monthly
	if err := json.Unmarshal(body, &m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("report: %d %s", resp.StatusCode, body)
	}

	// The headline figures, and January's beside them.
	type head struct {
		received, acceptedOnTime, handledOnTime, closed, rated, overdue int
		response, completion, satisfaction                              float64
	}
	if got, want := (head{m.Received, m.AcceptedOnTime, m.HandledOnTime, m.Closed, m.Rated, m.Overdue,
		m.ResponseRate, m.CompletionRate, m.SatisfactionRate}), (head{5, 4, 1, 1, 1, 3, 0.8, 0.2, 1}); got != want {
		t.Errorf("February %+v, want %+v", got, want)
	}
	pv := m.Previous
	if got, want := (head{pv.Received, pv.AcceptedOnTime, pv.HandledOnTime, pv.Closed, pv.Rated, pv.Overdue,
		pv.ResponseRate, pv.CompletionRate, pv.SatisfactionRate}), (head{3, 2, 1, 2, 0, 1, 2.0 / 3, 2.0 / 3, 0}); got != want || m.Month != "2027-02" || pv.Month != "2027-01" || !m.AsOf.Equal(now) {
		t.Errorf("January %s %+v, want %+v", pv.Month, got, want)
	}

	// Volumes by category and community with the change against January, a group of
	// January only listed with nothing this month.
	if want := []console.GroupFigures{
		{Code: "env", Name: "环境卫生", Received: 2, Closed: 0, Overdue: 2, PrevReceived: 2, Change: 0},
		{Code: "property", Name: "物业管理", Received: 2, Closed: 1, Overdue: 1, PrevReceived: 0, Change: 2},
		{Code: "traffic", Name: "交通出行", Received: 1, Closed: 0, Overdue: 0, PrevReceived: 0, Change: 1},
		{Code: "other", Name: "其他", Received: 0, Closed: 0, Overdue: 0, PrevReceived: 1, Change: -1},
	}; !slices.Equal(m.ByCategory, want) {
		t.Errorf("by category %+v\nwant %+v", m.ByCategory, want)
	}
	if want := []console.GroupFigures{
		{Code: "幸福里社区", Name: "幸福里社区", Received: 3, Closed: 0, Overdue: 2, PrevReceived: 2, Change: 1},
		{Code: "长青社区", Name: "长青社区", Received: 2, Closed: 1, Overdue: 1, PrevReceived: 0, Change: 2},
		{Code: "明月社区", Name: "明月社区", Received: 0, Closed: 0, Overdue: 0, PrevReceived: 1, Change: -1},
	}; !slices.Equal(m.ByCommunity, want) {
		t.Errorf("by community %+v\nwant %+v", m.ByCommunity, want)
	}

	// Departments: the cases each has now.
	type deptRow struct {
		code                                   string
		assigned, onTime, returned, supervised int
		avg                                    float64
	}
	var depts []deptRow
	for _, d := range m.ByDepartment {
		row := deptRow{d.Code, d.Assigned, d.OnTime, d.Returned, d.Supervised, -1}
		if d.AvgRating != nil {
			row.avg = *d.AvgRating
		}
		depts = append(depts, row)
	}
	if want := []deptRow{{"JD-CG", 1, 0, 0, 1, -1}, {"Q-JT", 1, 0, 0, 0, -1}, {"Q-ZJ", 1, 1, 0, 0, 3}}; !slices.Equal(depts, want) {
		t.Errorf("departments %+v, want %+v", depts, want)
	}

	// Hot topics: 路灯 in three cases (two in January), 停车位 in two (none); 小区 is
	// stop-listed and the words of a single case are no topic.
	if want := []console.HotTopic{{Word: "路灯", Cases: 3, PrevCases: 2, Change: 1}, {Word: "停车位", Cases: 2, PrevCases: 0, Change: 2}}; !slices.Equal(m.HotTopics, want) {
		t.Errorf("hot topics %+v, want %+v", m.HotTopics, want)
	}

	// Overdue cases and why, the longest overdue first.
	if len(m.OverdueCases) != m.Overdue {
		t.Fatalf("%d overdue cases listed, %d counted", len(m.OverdueCases), m.Overdue)
	}
	ids := []string{}
	for _, o := range m.OverdueCases {
		ids = append(ids, o.ID)
	}
	if want := []string{c1, c2, c4}; !slices.Equal(ids, want) {
		t.Fatalf("overdue %v, want %v", ids, want)
	}
	o1, o2, o4 := m.OverdueCases[0], m.OverdueCases[1], m.OverdueCases[2]
	if o1.Turn != console.TurnAccept || !o1.Since.Equal(at(2, 3, 9)) || o1.State != domain.StateSubmitted ||
		o1.Category != "环境卫生" || o1.Community != "幸福里社区" || o1.Supervised != 0 || o1.LatestNote != nil ||
		!o1.Deadline.After(o1.Since) || !o1.Deadline.Before(o2.Deadline) {
		t.Errorf("never accepted: %+v", o1)
	}
	if o2.Turn != console.TurnHandle || !o2.Since.Equal(at(2, 4, 11)) || !o2.Deadline.Equal(at(2, 9, 18)) ||
		o2.DeptCode != "JD-CG" || o2.DeptName != "街道城管科" || o2.Supervised != 2 || o2.RepName != "张三" {
		t.Errorf("with the department: %+v", o2)
	}
	if n := o2.LatestNote; n == nil || n.Label != "督办" || !n.At.Equal(at(2, 20, 10)) || n.Actor != staff.Name ||
		!strings.HasPrefix(n.Text, "再次督办，请回电") || strings.Contains(n.Text, "13800000000") {
		t.Errorf("latest note %+v", n)
	}
	if o4.Turn != console.TurnAssign || !o4.Since.Equal(at(2, 10, 10)) || o4.DeptCode != "" || o4.LatestNote != nil ||
		o4.Deadline.Before(o4.Since) || !o4.Deadline.Before(now) {
		t.Errorf("not assigned: %+v", o4)
	}

	// January's own report counts January's cases the same way.
	_, body = f.token(t, "wangzr").do(t, "GET", "/api/v1/reports/monthly?month=2027-01", nil)
	var jan console.Monthly
	if err := json.Unmarshal(body, &jan); err != nil {
		t.Fatal(err)
	}
	if jan.Received != pv.Received || jan.Closed != pv.Closed || jan.Overdue != pv.Overdue || jan.Previous.Received != 0 ||
		len(jan.OverdueCases) != 1 || jan.OverdueCases[0].Turn != console.TurnAccept {
		t.Errorf("January's report %+v", jan)
	}
}

// TestMonthlyReportWhileDictionaryLoads: a report made while the word dictionary is still
// loading answers at once with every other figure and its hot topics pending; once loaded,
// the next report has them.
func TestMonthlyReportWhileDictionaryLoads(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	f := newFixtureWith(t, func(cfg *console.Config) {
		cfg.HotWords = func() (*hotword.Tokenizer, error) {
			<-release
			return reportTokenizer()
		}
		cfg.HotWordsWait = time.Millisecond
	})
	r := &reportCases{t: t, f: f}
	r.submit(at(2, 3, 9), "env", "幸福里社区", "小区路灯不亮")
	r.submit(at(2, 4, 9), "env", "幸福里社区", "路灯坏了")
	f.clk.Set(at(3, 1, 10))
	c := f.token(t, "wangzr")
	report := func() (console.Monthly, string) {
		resp, body := c.do(t, "GET", "/api/v1/reports/monthly?month=2027-02", nil)
		var m console.Monthly
		if err := json.Unmarshal(body, &m); err != nil || resp.StatusCode != 200 {
			t.Fatalf("report: %d %s", resp.StatusCode, body)
		}
		return m, string(body)
	}
	m, body := report()
	if !m.HotTopicsPending || !strings.Contains(body, `"hot_topics":[]`) || m.Received != 2 || len(m.ByCategory) != 1 {
		t.Fatalf("while loading: %s", body)
	}
	close(release)
	deadline := time.Now().Add(30 * time.Second)
	for m.HotTopicsPending && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		m, body = report()
	}
	if want := []console.HotTopic{{Word: "路灯", Cases: 2, PrevCases: 0, Change: 2}}; m.HotTopicsPending || !slices.Equal(m.HotTopics, want) {
		t.Fatalf("once loaded: %s", body)
	}
}
