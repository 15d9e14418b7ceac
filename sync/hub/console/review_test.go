package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

var cstZone = time.FixedZone("CST", 8*3600)

// wantDept is a department's figures as the test counts them from what it did.
type wantDept struct {
	received, acceptedOnTime, handledOnTime, returned, supervised, rated, unsatisfied, rehandled int
	ratingSum                                                                                    float64
	numbers                                                                                      []string
}

// reviewScript records, case by case, a random but seeded history of assignments, returns,
// supervision, replies and ratings between 24 February and 4 April 2027, and counts what a
// department did with each case it received in [from, to) by the definitions of
// docs/console.md, from the script alone.
type reviewScript struct {
	t        *testing.T
	f        *fixture
	rules    domain.Rules
	from, to time.Time
	want     map[string]*wantDept
}

// episode is the test's own bookkeeping of one department's handling of one case.
type scriptEpisode struct {
	dept                string
	assigned, due       time.Time
	taken, replied      bool
	acceptedOnTime      bool
	handledOnTime       bool
	returned, supervise bool
	rating              domain.Rating
	unsatisfied         bool
	rehandled           bool
	number              string
}

func (s *reviewScript) at(t time.Time) { s.f.clk.Set(t) }

func (s *reviewScript) act(id string, at time.Time, kind domain.Kind, actor domain.Actor, payload any) {
	s.t.Helper()
	s.at(at)
	if _, err := s.f.st.Act(context.Background(), id, kind, actor, payload); err != nil {
		s.t.Fatalf("%s at %s: %v", kind, at, err)
	}
}

func (s *reviewScript) fact(ev domain.Event) {
	s.t.Helper()
	res, err := s.f.st.ApplyFacts(context.Background(), s.f.kiosk.Dev.ID, []domain.Event{ev})
	if err != nil || res.Applied != 1 {
		s.t.Fatalf("fact %s: %v %+v", ev.Kind, err, res)
	}
}

func (s *reviewScript) run(n int, seedN uint64) {
	r := rand.New(rand.NewPCG(seedN, 7))
	for i := range n {
		base := time.Date(2027, 2, 24, 9, 30, 0, 0, cstZone).AddDate(0, 0, r.IntN(40))
		c := &scriptCase{s: s, r: r, number: domain.CaseNumber(seed.StationCode, s.f.kiosk.Dev.Code, base, i+1)}
		c.play(fmt.Sprintf("review-%d", i), base)
		seen := map[string]bool{}
		for _, e := range c.eps {
			s.count(e, seen)
		}
	}
}

// scriptCase is one case of the script and the departments that had it.
type scriptCase struct {
	s      *reviewScript
	r      *rand.Rand
	id     string
	number string
	eps    []*scriptEpisode
}

var reviewDepts = []string{"JD-CG", "Q-ZJ", "Q-JT"}

func (c *scriptCase) assign(code string, at time.Time) *scriptEpisode {
	due := at.Add(72 * time.Hour)
	c.s.act(c.id, at, domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: code, DeptName: code, Due: due})
	e := &scriptEpisode{dept: code, assigned: at, due: due, number: c.number}
	c.eps = append(c.eps, e)
	return e
}

func (c *scriptCase) rate(e *scriptEpisode, at time.Time, rating domain.Rating) {
	t := c.s.t
	c.s.at(at)
	resident := domain.Actor{Role: domain.RoleResident, ID: storetest.Resident, Name: "张*"}
	c.s.fact(c.s.f.kiosk.Fact(t, c.id, domain.KindCaseRated, resident, domain.CaseRated{Rating: rating}))
	if got, err := c.s.f.st.Case(context.Background(), c.id); err != nil || got.Rating != rating || got.RatedAt.IsZero() {
		t.Fatalf("rating %s did not take effect: %+v %v", rating, got.Rating, err)
	}
	e.rating = rating
	e.unsatisfied = e.unsatisfied || rating == domain.RatingUnsatisfied
}

// take is the department's first progress note or reply.
func (c *scriptCase) take(e *scriptEpisode, at time.Time) {
	if !e.taken {
		e.taken, e.acceptedOnTime = true, !at.After(c.s.rules.AcceptDeadline(e.assigned, "env"))
	}
}

func (c *scriptCase) reply(e *scriptEpisode, at time.Time) {
	c.s.act(c.id, at, domain.KindCaseReplied, dept(e.dept), domain.CaseReplied{Reply: "已处理"})
	c.take(e, at)
	if !e.replied {
		e.replied, e.handledOnTime = true, !at.After(e.due)
	}
	if e.unsatisfied {
		e.rehandled = true
	}
}

func (c *scriptCase) play(label string, base time.Time) {
	s, r := c.s, c.r
	s.at(base)
	sub := s.f.kiosk.SubmissionOf(s.t, label, domain.CaseSubmitted{Number: c.number, Category: "env",
		Text: "楼下垃圾未清运", Community: "幸福里社区"})
	s.fact(sub)
	c.id = sub.Stream
	s.act(c.id, base.Add(30*time.Minute), domain.KindCaseAccepted, staff, domain.CaseAccepted{RepID: "HX01-R01", RepName: "张三"})
	a := base.Add(90 * time.Minute)
	e := c.assign(reviewDepts[r.IntN(len(reviewDepts))], a)
	if r.IntN(4) == 0 {
		s.act(c.id, a.Add(30*time.Minute), domain.KindCaseSupervised, staff, domain.CaseNote{Note: "请抓紧办理"})
		e.supervise = true
	}
	if r.IntN(7) == 0 {
		s.act(c.id, a.Add(2*time.Hour), domain.KindCaseReturned, dept(e.dept), domain.CaseNote{Note: "不属于本单位职责"})
		e.returned = true
		if r.IntN(2) == 0 {
			return // stays returned
		}
		a = a.Add(26 * time.Hour)
		e = c.assign(reviewDepts[(slices.Index(reviewDepts, e.dept)+1)%len(reviewDepts)], a)
	}
	lateStart := r.IntN(4) == 0
	switch {
	case r.IntN(5) == 0: // replies without a progress note first
	case lateStart:
		at := a.Add(4 * 24 * time.Hour)
		s.act(c.id, at, domain.KindCaseProgress, dept(e.dept), domain.CaseNote{Note: "已派人查看"})
		c.take(e, at)
	default:
		at := a.Add(time.Hour)
		s.act(c.id, at, domain.KindCaseProgress, dept(e.dept), domain.CaseNote{Note: "已派人查看"})
		c.take(e, at)
	}
	if r.IntN(10) == 0 {
		return // not replied yet
	}
	at := a.Add(48 * time.Hour)
	if lateStart || r.IntN(3) == 0 {
		at = a.Add(5 * 24 * time.Hour)
	}
	c.reply(e, at)
	switch r.IntN(4) {
	case 0:
		c.rate(e, at.Add(time.Hour), domain.RatingSatisfied)
	case 1:
		c.rate(e, at.Add(time.Hour), domain.RatingBasically)
	case 2:
		c.rate(e, at.Add(time.Hour), domain.RatingUnsatisfied)
		if r.IntN(3) > 0 {
			c.reply(e, at.Add(25*time.Hour))
			if r.IntN(2) == 0 {
				c.rate(e, at.Add(26*time.Hour), domain.RatingSatisfied)
			}
		}
	}
}

// count adds an episode to the department's expected figures when its assignment lies in the
// period and is the department's first on the case in it.
func (s *reviewScript) count(e *scriptEpisode, seen map[string]bool) {
	if e.assigned.Before(s.from) || !e.assigned.Before(s.to) || seen[e.dept] {
		return
	}
	seen[e.dept] = true
	w := s.want[e.dept]
	if w == nil {
		w = &wantDept{}
		s.want[e.dept] = w
	}
	w.received++
	w.numbers = append(w.numbers, e.number)
	for _, x := range []struct {
		n  *int
		ok bool
	}{{&w.acceptedOnTime, e.acceptedOnTime}, {&w.handledOnTime, e.handledOnTime}, {&w.returned, e.returned},
		{&w.supervised, e.supervise}, {&w.rehandled, e.rehandled}, {&w.unsatisfied, e.rating == domain.RatingUnsatisfied}} {
		if x.ok {
			*x.n++
		}
	}
	if e.rating != "" {
		w.rated++
		w.ratingSum += map[domain.Rating]float64{domain.RatingSatisfied: 3, domain.RatingBasically: 2, domain.RatingUnsatisfied: 1}[e.rating]
	}
}

// playMarch plays n scripted cases (random seed seedN) through March 2027 on a new fixture
// and sets the clock to 20 April. The script's period is March: rows only for cases the test
// made, since it lies after every case of the demo street.
func playMarch(t *testing.T, n int, seedN uint64) (*fixture, *reviewScript) {
	t.Helper()
	f := newFixture(t)
	f.kiosk = &storetest.Facts{Dev: storetest.Pair(t, f.st, seed.StationCode, store.RoleKiosk, ""), Now: f.clk.Now}
	rules, err := f.st.Rules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := &reviewScript{t: t, f: f, rules: rules, want: map[string]*wantDept{},
		from: time.Date(2027, 3, 1, 0, 0, 0, 0, cstZone), to: time.Date(2027, 4, 1, 0, 0, 0, 0, cstZone)}
	s.run(n, seedN)
	f.clk.Set(time.Date(2027, 4, 20, 10, 0, 0, 0, cstZone))
	return f, s
}

func TestReviewFiguresMatchTheEvents(t *testing.T) {
	f, s := playMarch(t, 60, 17)
	if len(s.want) < 3 {
		t.Fatalf("the script gave cases to %d departments only", len(s.want))
	}
	var all wantDept
	for _, w := range s.want {
		all.returned += w.returned
		all.supervised += w.supervised
		all.unsatisfied += w.unsatisfied
		all.rehandled += w.rehandled
		all.acceptedOnTime += w.acceptedOnTime
		all.received += w.received
		all.handledOnTime += w.handledOnTime
	}
	if all.returned == 0 || all.supervised == 0 || all.rehandled == 0 || all.acceptedOnTime == all.received ||
		all.handledOnTime == all.received || all.handledOnTime == 0 {
		t.Fatalf("the script misses a kind of history: %+v", all)
	}

	c := f.login(t, "wangzr")
	resp, body := c.do(t, "GET", "/api/v1/reviews/figures?period=2027-03", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("figures: %d %s", resp.StatusCode, body)
	}
	var figs console.ReviewFigures
	if err := json.Unmarshal(body, &figs); err != nil {
		t.Fatal(err)
	}
	if figs.Period.From != "2027-03-01" || figs.Period.To != "2027-03-31" || figs.Period.Label != "2027年3月" {
		t.Errorf("period %+v", figs.Period)
	}
	got := map[string]console.DeptReview{}
	for _, d := range figs.Departments {
		got[d.Code] = d
	}
	for code, w := range s.want {
		d := got[code]
		for _, x := range []struct {
			name      string
			got, want int
		}{{"received", d.Received, w.received}, {"accepted on time", d.AcceptedOnTime, w.acceptedOnTime},
			{"handled on time", d.HandledOnTime, w.handledOnTime}, {"returned", d.Returned, w.returned},
			{"supervised", d.Supervised, w.supervised}, {"rated", d.Rated, w.rated},
			{"unsatisfied", d.Unsatisfied, w.unsatisfied}, {"rehandled", d.Rehandled, w.rehandled}} {
			if x.got != x.want {
				t.Errorf("%s %s: %d, counted %d", code, x.name, x.got, x.want)
			}
		}
		if w.rated > 0 && (d.AvgRating == nil || fmt.Sprintf("%.6f", *d.AvgRating) != fmt.Sprintf("%.6f", w.ratingSum/float64(w.rated))) {
			t.Errorf("%s average rating %v, counted %v", code, d.AvgRating, w.ratingSum/float64(w.rated))
		}
		// the score, as docs/console.md defines it
		n := float64(w.received)
		parts, weights := 20*float64(w.acceptedOnTime)/n+30*float64(w.handledOnTime)/n+
			10*(1-float64(w.returned)/n)+10*(1-float64(w.supervised)/n), 70.0
		if w.rated > 0 {
			parts, weights = parts+30*(w.ratingSum/float64(w.rated)-1)/2, 100
		}
		if want := fmt.Sprintf("%.1f", 100*parts/weights); d.Score == nil || fmt.Sprintf("%.1f", *d.Score) != want {
			t.Errorf("%s score %s, want %s", code, fmtScore(d.Score), want)
		}
	}
	for code, d := range got {
		if s.want[code] == nil && (d.Received != 0 || d.Score != nil) {
			t.Errorf("%s received nothing in the script: %+v", code, d)
		}
	}
	for i := 1; i < len(figs.Departments); i++ {
		a, b := figs.Departments[i-1], figs.Departments[i]
		if b.Score != nil && (a.Score == nil || *a.Score < *b.Score) {
			t.Errorf("order: %s %v before %s %v", a.Code, a.Score, b.Code, b.Score)
		}
	}

	// The drill-down lists exactly the department's cases.
	for code, w := range s.want {
		resp, body := c.do(t, "GET", "/api/v1/reviews/figures/"+code+"/cases?period=2027-03", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("cases of %s: %d %s", code, resp.StatusCode, body)
		}
		var rc console.ReviewCases
		if err := json.Unmarshal(body, &rc); err != nil {
			t.Fatal(err)
		}
		var numbers []string
		onTime := 0
		for _, x := range rc.Cases {
			numbers = append(numbers, x.Number)
			onTime += b2i(x.HandledOnTime)
		}
		slices.Sort(numbers)
		slices.Sort(w.numbers)
		if !slices.Equal(numbers, w.numbers) || onTime != w.handledOnTime || rc.Dept.Received != w.received {
			t.Errorf("cases of %s: %v (%d on time), counted %v (%d)", code, numbers, onTime, w.numbers, w.handledOnTime)
		}
	}

	// A quarter holds the month; other periods and their errors.
	resp, body = c.do(t, "GET", "/api/v1/reviews/figures?period=2027-Q1", nil)
	var q console.ReviewFigures
	if resp.StatusCode != 200 || json.Unmarshal(body, &q) != nil {
		t.Fatalf("quarter: %d %s", resp.StatusCode, body)
	}
	for _, d := range q.Departments {
		if w := s.want[d.Code]; w != nil && d.Received < w.received {
			t.Errorf("Q1 %s received %d < March's %d", d.Code, d.Received, w.received)
		}
	}
	for _, p := range []string{"2027-13", "2027-Q5", "27", "2027-03-05..2027-03-01", "x"} {
		if resp, body := c.do(t, "GET", "/api/v1/reviews/figures?period="+p, nil); resp.StatusCode != 400 ||
			errorCode(t, body) != domain.CodeReviewBadPeriod {
			t.Errorf("period %s: %d %s", p, resp.StatusCode, body)
		}
	}
	resp, body = c.do(t, "GET", "/api/v1/reviews/figures?period=2027-03-01..2027-03-31", nil)
	var days console.ReviewFigures
	if resp.StatusCode != 200 || json.Unmarshal(body, &days) != nil {
		t.Fatalf("days: %d %s", resp.StatusCode, body)
	}
	for _, d := range days.Departments {
		if d.Received != got[d.Code].Received {
			t.Errorf("1–31 March %s: %d, the month %d", d.Code, d.Received, got[d.Code].Received)
		}
	}
	if resp, _ := f.token(t, "zhujianju").do(t, "GET", "/api/v1/reviews/figures", nil); resp.StatusCode != 403 {
		t.Errorf("department account: %d", resp.StatusCode)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func fmtScore(s *float64) string {
	if s == nil {
		return "none"
	}
	return fmt.Sprintf("%.1f", *s)
}

func TestReviewSessionsArePublished(t *testing.T) {
	f, _ := playMarch(t, 20, 3)
	ctx := context.Background()
	c := f.login(t, "wangzr")

	in := console.ReviewSessionInput{Held: "2027-04-15", Title: "2027年3月承办单位工作评议", Period: "2027-03",
		Participants: []string{"王主任", "张三"},
		Departments: []console.ReviewConclusion{{DeptCode: "JD-CG", Grade: "满意", Conclusion: "办理及时"},
			{DeptCode: "Q-ZJ", Grade: "基本满意"}, {DeptCode: "Q-JT", Grade: "不满意", Conclusion: "超期较多"}},
		Interviews: []console.ReviewInterview{{DeptCode: "Q-JT", Date: "2027-04-18", Who: "王主任、区交通局李科长",
			Agreed: "两周内清理超期事项"}}}
	resp, body := c.do(t, "POST", "/api/v1/reviews", in)
	var ses console.ReviewSession
	if resp.StatusCode != 201 || json.Unmarshal(body, &ses) != nil || ses.Version != 1 || ses.SavedBy != "王主任（街道人大工委）" ||
		ses.Departments[0].DeptName != "街道城管科" || ses.Period.Label != "2027年3月" {
		t.Fatalf("create: %d %s", resp.StatusCode, body)
	}
	for name, bad := range map[string]func(*console.ReviewSessionInput){
		"held":  func(x *console.ReviewSessionInput) { x.Held = "2027-4-15" },
		"title": func(x *console.ReviewSessionInput) { x.Title = " " },
		"grade": func(x *console.ReviewSessionInput) {
			x.Departments = []console.ReviewConclusion{{DeptCode: "JD-CG", Grade: "优"}}
		},
		"interview": func(x *console.ReviewSessionInput) {
			x.Interviews = []console.ReviewInterview{{DeptCode: "Q-JT", Date: "2027-04-18"}}
		},
		"dept":   func(x *console.ReviewSessionInput) { x.Departments = []console.ReviewConclusion{{DeptCode: "NOPE"}} },
		"period": func(x *console.ReviewSessionInput) { x.Period = "March" },
	} {
		x := in
		bad(&x)
		if resp, body := c.do(t, "POST", "/api/v1/reviews", x); resp.StatusCode != 422 {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
	}
	in.Version = 1
	in.Participants = append(in.Participants, "李四")
	if resp, body := c.do(t, "PUT", "/api/v1/reviews/"+ses.ID, in); resp.StatusCode != 200 {
		t.Fatalf("update: %d %s", resp.StatusCode, body)
	}
	if resp, body := c.do(t, "PUT", "/api/v1/reviews/"+ses.ID, in); resp.StatusCode != 409 || errorCode(t, body) != domain.CodeReviewStale {
		t.Errorf("stale update: %d %s", resp.StatusCode, body)
	}
	if resp, body := c.do(t, "POST", "/api/v1/reviews/"+ses.ID+"/publish", console.ReviewPublish{Version: 1}); resp.StatusCode != 409 {
		t.Errorf("stale publish: %d %s", resp.StatusCode, body)
	}
	resp, body = c.do(t, "POST", "/api/v1/reviews/"+ses.ID+"/publish", console.ReviewPublish{Version: 2})
	if resp.StatusCode != 200 || json.Unmarshal(body, &ses) != nil || ses.Published == "" || ses.Version != 3 {
		t.Fatalf("publish: %d %s", resp.StatusCode, body)
	}

	// The ranking is reference data for every station, ordered as the figures.
	raw, err := f.st.RefItem(ctx, domain.KindDeptRankingUpserted, ses.ID)
	if err != nil {
		t.Fatal(err)
	}
	var rk domain.DeptRanking
	if err := json.Unmarshal(raw, &rk); err != nil {
		t.Fatal(err)
	}
	resp, body = c.do(t, "GET", "/api/v1/reviews/figures?period=2027-03", nil)
	var figs console.ReviewFigures
	if resp.StatusCode != 200 || json.Unmarshal(body, &figs) != nil {
		t.Fatal(resp.StatusCode)
	}
	var order []string
	for _, d := range figs.Departments {
		if d.Score != nil && slices.Contains([]string{"JD-CG", "Q-ZJ", "Q-JT"}, d.Code) {
			order = append(order, d.Code)
		}
	}
	var ranked []string
	for _, row := range rk.Rows {
		ranked = append(ranked, row.DeptCode)
	}
	if !slices.Equal(order, ranked) || rk.Period != "2027年3月" || rk.Rows[0].Rank != 1 || rk.Title != in.Title {
		t.Errorf("ranking %+v, figures order %v", rk, order)
	}
	if p := domain.CheckRef(domain.KindDeptRankingUpserted, raw); len(p) > 0 {
		t.Errorf("stored ranking: %+v", p)
	}
	evs, err := f.st.StreamEvents(ctx, "ranking:"+ses.ID)
	if err != nil || len(evs) != 1 || evs[0].Station != "" {
		t.Errorf("ranking event %+v %v: want one, global", evs, err)
	}
	// The session's history is in the log, which no station downloads.
	resp, body = c.do(t, "GET", "/api/v1/reviews/"+ses.ID, nil)
	var det console.ReviewSessionDetail
	if resp.StatusCode != 200 || json.Unmarshal(body, &det) != nil || len(det.History) != 3 ||
		len(det.Session.Participants) != 3 || det.Session.Interviews[0].Agreed != "两周内清理超期事项" {
		t.Errorf("detail: %d %s", resp.StatusCode, body)
	}
	hist, err := f.st.StreamEvents(ctx, store.ReviewStream(ses.ID))
	if err != nil || len(hist) != 3 || hist[0].Station != store.AuditScope {
		t.Errorf("history in the log: %d %v", len(hist), err)
	}
	resp, body = c.do(t, "GET", "/api/v1/reviews", nil)
	var list console.ReviewSessions
	if resp.StatusCode != 200 || json.Unmarshal(body, &list) != nil || len(list.Sessions) != 1 || list.Sessions[0].Version != 3 {
		t.Errorf("list: %d %s", resp.StatusCode, body)
	}
	if resp, body := c.do(t, "GET", "/api/v1/reviews/PY-none", nil); resp.StatusCode != 404 || errorCode(t, body) != domain.CodeReviewNotFound {
		t.Errorf("unknown: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.token(t, "zhujianju").do(t, "GET", "/api/v1/reviews", nil); resp.StatusCode != 403 {
		t.Errorf("department account: %d", resp.StatusCode)
	}
}
