package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
)

// boardNow is a Friday morning in China Standard Time: a working day, so accept, assign and
// due deadlines fall on both sides of it.
var boardNow = time.Date(2025, 3, 14, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))

// caseMoves are the moves the generator tries on a case, each with an actor that the
// lifecycle may accept for it.
func caseMoves(resident, dept string) []struct {
	kind    domain.Kind
	actor   domain.Actor
	payload any
} {
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "rep-1", Name: "测试代表"}
	staff := domain.Actor{Role: domain.RoleStaff, ID: "staff-1", Name: "工作人员"}
	res := domain.Actor{Role: domain.RoleResident, ID: resident}
	dep := domain.Actor{Role: domain.RoleDepartment, ID: dept}
	sys := domain.Actor{Role: domain.RoleSystem}
	return []struct {
		kind    domain.Kind
		actor   domain.Actor
		payload any
	}{
		{domain.KindCaseAccepted, rep, domain.CaseAccepted{RepID: "rep-1", RepName: "测试代表"}},
		{domain.KindCaseAccepted, staff, domain.CaseAccepted{}},
		{domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: dept, DeptName: "城管科"}},
		{domain.KindCaseProgress, dep, domain.CaseNote{Note: "已派人查看"}},
		{domain.KindCaseReturned, dep, domain.CaseNote{Note: "不属于本单位"}},
		{domain.KindCaseSupervised, staff, domain.CaseNote{Note: "请加快"}},
		{domain.KindCaseReplied, dep, domain.CaseReplied{Reply: "已修复，联系电话13800138000"}},
		{domain.KindCaseRated, res, domain.CaseRated{Rating: domain.RatingSatisfied}},
		{domain.KindCaseRated, res, domain.CaseRated{Rating: domain.RatingBasically}},
		{domain.KindCaseRated, res, domain.CaseRated{Rating: domain.RatingUnsatisfied}},
		{domain.KindCaseReopened, res, domain.CaseNote{Note: "没有解决"}},
		{domain.KindCaseClosed, sys, nil},
		{domain.KindCaseClosed, staff, nil},
		{domain.KindCaseWithdrawn, res, domain.CaseNote{Note: "已自行解决"}},
		{domain.KindCaseMerged, staff, domain.CaseMerged{Into: "case-0"}},
	}
}

var boardTexts = []string{
	"小区门口路灯坏了很久，晚上出行不安全，电话13912345678",
	"建议在社区增设老年食堂，解决独居老人吃饭难",
	"三期公寓楼下停车位不足，电动车充电桩也不够",
	"菜市场周边占道经营，早高峰交通拥堵",
	"我叫张三，身份证11010519491231002X，楼道堆放杂物",
}

// genCaseEvents makes n cases with random but legal histories ending before now: every
// state of the lifecycle occurs, with deadlines met and missed. Events are hub-ordered.
func genCaseEvents(t testing.TB, rng *rand.Rand, n int, now time.Time, seq *int64) []domain.Event {
	t.Helper()
	rules := domain.DefaultRules()
	cats := []string{"env", "traffic", "elder", ""}
	var out []domain.Event
	for i := range n {
		id := fmt.Sprintf("case-%05d-%d", i, rng.Int63())
		resident := fmt.Sprintf("res-%d", i%7)
		at := now.Add(-time.Duration(rng.Int63n(int64(45 * 24 * time.Hour))))
		if i%10 == 0 {
			at = now.Add(-time.Duration(rng.Int63n(int64(30 * time.Hour)))) // around the accept window
		}
		mk := func(kind domain.Kind, actor domain.Actor, payload any) domain.Event {
			var data json.RawMessage
			if payload != nil {
				b, err := json.Marshal(payload)
				if err != nil {
					t.Fatal(err)
				}
				data = b
			}
			return domain.Event{ID: domain.NewEventID(), Device: domain.HubDevice, Station: "HX01",
				Stream: id, Kind: kind, At: at.UTC(), Actor: actor, Data: data}
		}
		sub := domain.CaseSubmitted{Number: fmt.Sprintf("N%05d", i), Token: "t", Category: cats[i%len(cats)],
			Text: boardTexts[i%len(boardTexts)], Community: "朝阳社区", ResidentID: resident,
			SurnameMask: "张*", Anonymous: i%5 == 0, Phone: "13800138000"}
		if sub.Anonymous {
			sub.ResidentID, sub.SurnameMask = "", ""
		}
		first := mk(domain.KindCaseSubmitted, domain.Actor{Role: domain.RoleResident, ID: resident}, sub)
		if sub.Anonymous {
			first.Actor = domain.Actor{Role: domain.RoleAnonymous}
		}
		c, err := domain.Transition(domain.Case{}, first, rules)
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		evs := []domain.Event{first}
		for step := rng.Intn(9); step > 0; step-- {
			at = at.Add(time.Duration(rng.Int63n(int64(60 * time.Hour))))
			if at.After(now) {
				break
			}
			moves := caseMoves(resident, "D01")
			rng.Shuffle(len(moves), func(a, b int) { moves[a], moves[b] = moves[b], moves[a] })
			for _, m := range moves {
				if m.kind == domain.KindCaseAssigned && rng.Intn(2) == 0 {
					m.payload = domain.CaseAssigned{DeptCode: "D01", DeptName: "城管科", Due: at.Add(time.Duration(rng.Intn(96)) * time.Hour)}
				}
				ev := mk(m.kind, m.actor, m.payload)
				if next, err := domain.Transition(c, ev, rules); err == nil {
					c = next
					evs = append(evs, ev)
					break
				}
			}
		}
		out = append(out, evs...)
	}
	for i := range out {
		*seq++
		out[i].HubSeq, out[i].DevSeq = *seq, *seq
	}
	return out
}

// expectedBoard folds the raw events of every stream and computes what the board must show,
// straight from the domain.
type expectedBoard struct {
	cases []domain.Case
	rates domain.Rates
}

func expectBoard(evs []domain.Event, now time.Time, rules domain.Rules) expectedBoard {
	byStream := map[string][]domain.Event{}
	var order []string
	for _, ev := range evs {
		if _, ok := byStream[ev.Stream]; !ok {
			order = append(order, ev.Stream)
		}
		byStream[ev.Stream] = append(byStream[ev.Stream], ev)
	}
	var e expectedBoard
	for _, s := range order {
		if c, _ := domain.Fold(byStream[s], rules); c.State != domain.StateNew {
			e.cases = append(e.cases, c)
		}
	}
	e.rates = domain.ComputeRates(e.cases, now, rules)
	return e
}

func (e expectedBoard) check(t *testing.T, b *Board, now time.Time, loc *time.Location) {
	t.Helper()
	r := e.rates
	want := BoardRates{
		Response:     ratio(r.Response, r.Submitted-r.AwaitingAccept-r.EndedUnaccepted),
		Completion:   ratio(r.Completion, r.Submitted-r.Withdrawn-r.Merged),
		Satisfaction: ratio(r.Satisfaction, r.Rated),
	}
	for name, pair := range map[string][2]*float64{
		"response": {want.Response, b.Rates.Response}, "completion": {want.Completion, b.Rates.Completion},
		"satisfaction": {want.Satisfaction, b.Rates.Satisfaction},
	} {
		if (pair[0] == nil) != (pair[1] == nil) || (pair[0] != nil && *pair[0] != *pair[1]) {
			t.Errorf("%s rate: board %v, events %v", name, deref(pair[1]), deref(pair[0]))
		}
	}
	if b.Totals.Open != r.Open || b.Totals.Overdue != r.Overdue {
		t.Errorf("open/overdue: board %d/%d, events %d/%d", b.Totals.Open, b.Totals.Overdue, r.Open, r.Overdue)
	}
	var fu BoardFunnel
	cats := map[string]int{}
	days := map[string][2]int{}
	var year, month, today int
	local := now.In(loc)
	for _, c := range e.cases {
		fu.Submitted++
		fu.Accepted += boolInt(!c.AcceptedAt.IsZero())
		fu.Assigned += boolInt(!c.AssignedAt.IsZero())
		fu.Replied += boolInt(!c.RepliedAt.IsZero())
		fu.Closed += boolInt(c.State == domain.StateClosed)
		cats[c.Category]++
		s := c.SubmittedAt.In(loc)
		d := days[s.Format(time.DateOnly)]
		d[0]++
		days[s.Format(time.DateOnly)] = d
		if c.State == domain.StateClosed && !c.ClosedAt.IsZero() {
			k := c.ClosedAt.In(loc).Format(time.DateOnly)
			d := days[k]
			d[1]++
			days[k] = d
		}
		year += boolInt(s.Year() == local.Year())
		month += boolInt(s.Year() == local.Year() && s.Month() == local.Month())
		today += boolInt(s.Format(time.DateOnly) == local.Format(time.DateOnly))
	}
	if b.Funnel != fu {
		t.Errorf("funnel: board %+v, events %+v", b.Funnel, fu)
	}
	if b.Totals.Year != year || b.Totals.Month != month || b.Totals.Today != today {
		t.Errorf("totals: board %+v, events year %d month %d today %d", b.Totals, year, month, today)
	}
	names := map[string]string{"env": "环境卫生"}
	wantCats := map[string]int{}
	for code, n := range cats {
		name := names[code]
		if name == "" {
			name = "其他"
		}
		wantCats[name] += n
	}
	gotCats := map[string]int{}
	for _, nc := range b.Categories {
		gotCats[nc.Name] = nc.Count
	}
	if fmt.Sprint(gotCats) != fmt.Sprint(wantCats) {
		t.Errorf("categories: board %v, events %v", gotCats, wantCats)
	}
	if len(b.Trend) != 30 {
		t.Fatalf("trend has %d days", len(b.Trend))
	}
	for _, td := range b.Trend {
		if w := days[td.Day]; td.Submitted != w[0] || td.Closed != w[1] {
			t.Errorf("trend %s: board %d/%d, events %d/%d", td.Day, td.Submitted, td.Closed, w[0], w[1])
		}
	}
	e.checkTicker(t, b)
}

func (e expectedBoard) checkTicker(t *testing.T, b *Board) {
	t.Helper()
	var want []string
	for _, c := range e.cases {
		if c.State == domain.StateWithdrawn || c.State == domain.StateMerged {
			continue
		}
		want = append(want, c.SubmittedAt.UTC().Format(time.RFC3339)+" case")
		if !c.RepliedAt.IsZero() {
			want = append(want, c.RepliedAt.UTC().Format(time.RFC3339)+" reply")
		}
	}
	slices.Sort(want)
	slices.Reverse(want)
	if len(want) > tickerLen {
		want = want[:tickerLen]
	}
	var got []string
	for _, it := range b.Ticker {
		got = append(got, it.At+" "+it.Kind)
	}
	slices.Sort(got)
	slices.Reverse(got)
	if !slices.Equal(got, want) {
		t.Errorf("ticker:\n board  %v\n events %v", got, want)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// testDict is a small dictionary in gse's format, enough for the test texts.
const testDict = `路灯 50 n
小区 80 n
门口 40 n
出行 30 v
安全 60 a
老年 40 n
食堂 30 n
独居 10 v
老人 60 n
停车位 30 n
公寓 30 n
三期 5 m
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

// TestBoardMatchesEvents recomputes every figure of the board from the raw events with
// domain.Fold and domain.ComputeRates, after a first load, after more events arrived (the
// aggregates are maintained incrementally), after the clock moved on (the time-dependent
// figures) and after the projections were rebuilt.
func TestBoardMatchesEvents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := boardNow
	st := newWallStation(t, t.TempDir(), &now)
	rng := rand.New(rand.NewSource(7))
	var seq int64
	cat := refEvent(t, 0, domain.KindCategoryUpserted, "env", domain.Category{Code: "env", Name: "环境卫生"})
	seq++
	cat.HubSeq, cat.DevSeq = seq, seq
	if err := st.store.ApplyRemote(ctx, "epoch-test", []domain.Event{cat}, seq); err != nil {
		t.Fatal(err)
	}
	var all []domain.Event
	apply := func(evs []domain.Event) {
		t.Helper()
		all = append(all, evs...)
		if err := st.store.ApplyRemote(ctx, "epoch-test", evs, seq); err != nil {
			t.Fatal(err)
		}
	}
	rules, loc := domain.DefaultRules(), domain.DefaultRules().Location
	steps := []struct {
		name string
		act  func()
	}{
		{"first load", func() { apply(genCaseEvents(t, rng, 160, now, &seq)) }},
		{"more events", func() {
			apply(genCaseEvents(t, rng, 60, now, &seq))
			// later events of cases already on the board
			var more []domain.Event
			for _, ev := range all[:120] {
				if ev.Kind == domain.KindCaseSubmitted {
					e := ev
					e.ID, e.Kind, e.At = domain.NewEventID(), domain.KindCaseWithdrawn, now.Add(-time.Minute).UTC()
					e.Data = json.RawMessage(`{"note":"不需要了"}`)
					seq++
					e.HubSeq, e.DevSeq = seq, seq
					more = append(more, e)
				}
			}
			apply(more)
		}},
		{"clock moved on", func() { now = now.Add(26 * time.Hour) }},
		{"projections rebuilt", func() {
			if err := st.store.RebuildProjections(ctx); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, step := range steps {
		step.act()
		b, err := st.Wall.Board()
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		t.Run(step.name, func(t *testing.T) {
			expectBoard(all, now, rules).check(t, b, now, loc)
		})
	}
}

// TestBoardFollowsRules: aggregates computed under one set of rules are recomputed when the
// store is opened with others.
func TestBoardFollowsRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "station.db")
	var seq int64
	evs := genCaseEvents(t, rand.New(rand.NewSource(11)), 80, boardNow, &seq)
	strict := domain.DefaultRules()
	strict.AcceptHours, strict.HandleDays = 2, 1
	for _, rules := range []domain.Rules{domain.DefaultRules(), strict} {
		st, err := store.Open(path, nil, store.WithRules(rules))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ResetRemote(ctx, "e"); err != nil {
			t.Fatal(err)
		}
		if err := st.ApplyRemote(ctx, "e", evs, seq); err != nil {
			t.Fatal(err)
		}
		f, err := st.BoardFigures(ctx, "HX01", boardNow, 0)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		if want := expectBoard(evs, boardNow, rules).rates; f.Rates != want {
			t.Errorf("accept within %d working hours:\n store  %+v\n events %+v", rules.AcceptHours, f.Rates, want)
		}
	}
}

// openHotWordsStore opens an empty station store and the test dictionary's tokenizer.
func openHotWordsStore(t *testing.T) (*store.Store, *tokenizer) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "station.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := newTokenizerFromDict(testDict)
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	return st, tok
}

// TestHotWordsIncremental: words are counted once per case, only for the last 30 days, and
// leave the counts again when their case goes.
func TestHotWordsIncremental(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, tok := openHotWordsStore(t)
	defer st.Close()
	var seq int64
	evs := genCaseEvents(t, rand.New(rand.NewSource(3)), 60, boardNow, &seq)
	if err := st.ResetRemote(ctx, "e"); err != nil {
		t.Fatal(err)
	}
	if err := st.ApplyRemote(ctx, "e", evs, seq); err != nil {
		t.Fatal(err)
	}
	h := &hotWords{tok: tok}
	src := hotWordsSource{store: st, station: "HX01"}
	got, err := h.compute(ctx, src, boardNow)
	if err != nil {
		t.Fatal(err)
	}
	// expected: per word, the number of cases of the window whose text has it
	since := boardNow.AddDate(0, 0, -(hotWordDays - 1))
	first := since.In(domain.DefaultRules().Location).Format(time.DateOnly)
	want := map[string]int{}
	for _, c := range expectBoard(evs, boardNow, domain.DefaultRules()).cases {
		if c.SubmittedAt.In(domain.DefaultRules().Location).Format(time.DateOnly) < first {
			continue
		}
		for _, w := range tok.Words(c.Text) {
			want[w]++
		}
	}
	if len(got) == 0 {
		t.Fatal("no hot words")
	}
	for _, w := range got {
		if float64(want[w.Word]) != w.Weight {
			t.Errorf("%s: %v cases, want %d", w.Word, w.Weight, want[w.Word])
		}
	}
	// a rebuild removes and re-adds every case: the counts stay the same
	if err := st.RebuildProjections(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := h.compute(ctx, src, boardNow)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again, got) {
		t.Errorf("after a rebuild %v, before %v", again, got)
	}
}
