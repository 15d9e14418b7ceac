package sqlitestore

import (
	"context"
	"errors"
	"fmt"
	"liaison/internal/clocktest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// deskDump is the desk as comparable text rows (rid left out: a rebuild may number anew).
func deskDump(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := queryStrings(context.Background(), s.db, `SELECT id || '|' || station || '|' || state || '|' ||
		category || '|' || community || '|' || rep_id || '|' || dept_code || '|' || submitted_at || '|' ||
		ifnull(deadline, '-') FROM desk ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestDeskFollowsCasesAndRebuilds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, copyOf(t, seededDir), clocktest.New(t0))
	defer s.Close()
	cases, err := s.Cases(ctx, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	dump := deskDump(t, s)
	if len(dump) != len(cases) || len(cases) == 0 {
		t.Fatalf("desk has %d rows for %d cases", len(dump), len(cases))
	}
	rules := domain.DefaultRules()
	for _, c := range cases {
		p, err := s.Desk(ctx, store.DeskFilter{Query: c.Number, Limit: 5})
		if err != nil || len(p.Cases) != 1 || p.Cases[0].ID != c.ID {
			t.Fatalf("search by number %s: %d cases, %v", c.Number, len(p.Cases), err)
		}
		overdue, err := s.Desk(ctx, store.DeskFilter{Query: c.Number, Overdue: true, Now: t0})
		if err != nil || (overdue.Total == 1) != domain.Overdue(c, t0, rules) {
			t.Fatalf("case %s in state %s: overdue on the desk %d, by the rules %v", c.Number, c.State,
				overdue.Total, domain.Overdue(c, t0, rules))
		}
	}
	// A store opened on a database whose desk was never built builds it.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM desk; DELETE FROM desk_fts; UPDATE meta SET value = '0' WHERE key = 'desk_built'`); err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	s.Close()
	s = open(t, dir, clocktest.New(t0))
	if got := deskDump(t, s); !reflect.DeepEqual(got, dump) {
		t.Fatalf("desk rebuilt on open differs: %d rows, want %d", len(got), len(dump))
	}
}

func TestDeskFullTextSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, copyOf(t, seededDir), clocktest.New(t0))
	defer s.Close()
	open, err := s.Cases(ctx, store.CaseFilter{State: domain.StateAssigned})
	if err != nil || len(open) == 0 {
		t.Fatalf("no assigned case in the demo: %v", err)
	}
	c := open[0]
	actor := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	if _, err := s.ActVersion(ctx, c.ID, c.Version, domain.KindCaseSupervised, actor,
		domain.CaseNote{Note: "请尽快修复窨井盖，居民反映强烈"}); err != nil {
		t.Fatal(err)
	}
	words := []rune(c.Text)
	cases := []struct {
		name, q string
		want    bool
	}{
		{"two characters of the text", string(words[2:4]), true},
		{"a word of a note", "窨井盖", true},
		{"two terms", "窨井 强烈", true},
		{"the number's last part", c.Number[strings.LastIndexByte(c.Number, '-')+1:], true},
		{"characters out of order", "盖井窨", false},
		{"nothing searchable", `"" ，`, false},
	}
	for _, tc := range cases {
		p, err := s.Desk(ctx, store.DeskFilter{Query: tc.q, Limit: 500})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		found := false
		for _, x := range p.Cases {
			found = found || x.ID == c.ID
		}
		if found != tc.want {
			t.Errorf("%s (%q): found %v, want %v", tc.name, tc.q, found, tc.want)
		}
	}
}

// TestDeskQueriesUseIndexes: the inbox's queries search an index rather than read the whole
// desk, whatever the filter (EXPLAIN QUERY PLAN).
func TestDeskQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	if s.pg {
		// PostgreSQL's planner picks a sequential scan of a small table whatever its indexes:
		// on an empty test database the plan says nothing about a street's desk.
		t.Skip("plans are checked on SQLite")
	}
	now := t0
	day := store.DeskFilter{Now: now, TodayStart: now.Add(-10 * time.Hour), TomorrowStart: now.Add(14 * time.Hour), Limit: 50}
	with := func(f func(*store.DeskFilter)) store.DeskFilter {
		x := day
		f(&x)
		return x
	}
	filters := map[string]store.DeskFilter{
		"to_assign of a department": with(func(f *store.DeskFilter) { f.Tab, f.Dept = store.TabToAssign, "Q-ZJ" }),
		"all of a department":       with(func(f *store.DeskFilter) { f.Dept = "Q-ZJ" }),
		"overdue":                   with(func(f *store.DeskFilter) { f.Tab = store.TabOverdue }),
		"due today":                 with(func(f *store.DeskFilter) { f.Tab = store.TabDueToday }),
		"to_accept":                 with(func(f *store.DeskFilter) { f.Tab = store.TabToAccept }),
		"all":                       day,
		"category":                  with(func(f *store.DeskFilter) { f.Category = "env" }),
		"community":                 with(func(f *store.DeskFilter) { f.Community = "幸福社区" }),
		"text":                      with(func(f *store.DeskFilter) { f.Query = "路灯" }),
	}
	for name, f := range filters {
		q, args := deskListSQL(f, false)
		plan := queryPlan(t, s, q, args...)
		for _, p := range plan {
			if p == "SCAN desk" {
				t.Errorf("%s reads the whole desk: %q", name, plan)
			}
		}
	}
}

// TestBoardReadsTheStationIndexAlone: on SQLite the board's pass over the desk reads the
// station index, which carries every column it counts, and never the table's rows (a
// million-case desk: 0.73 s a reading with it, 2.39 s without; BenchmarkDistrictBoard1M).
func TestBoardReadsTheStationIndexAlone(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	if s.pg {
		t.Skip("plans are checked on SQLite")
	}
	n := t0.UnixNano()
	plan := queryPlan(t, s, sqlBoard, n, n)
	if len(plan) != 1 || plan[0] != "SCAN desk USING COVERING INDEX desk_station" {
		t.Errorf("the board's plan: %q", plan)
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of q, one detail line a step.
func queryPlan(t *testing.T, s *Store, q string, args ...any) []string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatalf("plan of %s: %v", q, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}

func TestActVersionRefusesStale(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, copyOf(t, seededDir), clocktest.New(t0))
	defer s.Close()
	cs, err := s.Cases(ctx, store.CaseFilter{State: domain.StateAssigned})
	if err != nil || len(cs) == 0 {
		t.Fatal("no assigned case", err)
	}
	c := cs[0]
	wang := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	li := domain.Actor{Role: domain.RoleStaff, ID: "lisi", Name: "李干事（街道人大工委）"}
	if _, err := s.ActVersion(ctx, c.ID, c.Version, domain.KindCaseSupervised, wang, domain.CaseNote{Note: "请加快"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.ActVersion(ctx, c.ID, c.Version, domain.KindCaseSupervised, li, domain.CaseNote{Note: "再催"})
	var stale *store.StaleError
	if !errors.As(err, &stale) || stale.Version != c.Version+1 || stale.By.Name != wang.Name {
		t.Fatalf("second action on version %d: %v", c.Version, err)
	}
	after, _ := s.Case(ctx, c.ID)
	if after.SupervisedCount != c.SupervisedCount+1 {
		t.Fatalf("supervised %d times, want %d", after.SupervisedCount, c.SupervisedCount+1)
	}
}

func TestRevealContactIsAuditedAtTheHubOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	addStation(t, s, "HX01")
	f := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	if _, err := s.ApplyFacts(ctx, f.Dev.ID, []domain.Event{f.SubmissionOf(t, "case-phone",
		domain.CaseSubmitted{Number: "HX01-K1-20261123-0001", Category: "env", Text: "楼道灯不亮", Phone: "13812345678"})}); err != nil {
		t.Fatal(err)
	}
	c, err := s.Case(ctx, cid("case-phone"))
	if err != nil {
		t.Fatal(err)
	}
	last, _ := s.LastSeq(ctx)
	wang := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任（街道人大工委）"}
	phone, err := s.RevealContact(ctx, c.ID, wang)
	if err != nil || phone != c.Phone {
		t.Fatalf("reveal: %q, %v", phone, err)
	}
	evs, err := s.StreamEvents(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	audit := evs[len(evs)-1]
	if audit.Kind != domain.KindContactRevealed || audit.Actor != wang || audit.HubSeq != last+1 || audit.Station != store.AuditScope {
		t.Fatalf("audit event %+v", audit)
	}
	down, err := s.EventsAfter(ctx, c.Station, last, 100)
	if err != nil || len(down) != 0 {
		t.Fatalf("station %s would download %d events after the reveal (%v)", c.Station, len(down), err)
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}

// A search term is text on either engine: LIKE's wildcards (PostgreSQL) and FTS5's operators
// (SQLite) in what a person types match only themselves, and a run of Han characters is found
// in order only.
func TestDeskSearchTakesTermsLiterally(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newStore(t)
	addStation(t, s, "HX01")
	f := &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	texts := map[string]string{"pct": "路灯坏了 满意度100%", "under": "垃圾桶a_b已满", "axb": "垃圾桶axb已满", "plain": "楼道灯不亮"}
	var facts []domain.Event
	for i, label := range []string{"pct", "under", "axb", "plain"} {
		facts = append(facts, f.SubmissionOf(t, label, domain.CaseSubmitted{
			Number: fmt.Sprintf("HX01-K1-20261123-%04d", i+1), Category: "env", Text: texts[label]}))
	}
	if _, err := s.ApplyFacts(ctx, f.Dev.ID, facts); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"路灯", []string{"pct"}},
		{"灯路", nil},
		{"100%", []string{"pct"}},
		{"%", nil},
		{"1%0", nil},
		{"a_b", []string{"under"}},
		{"_", nil},
		{`灯 OR 桶`, nil},
	}
	for _, tc := range cases {
		p, err := s.Desk(ctx, store.DeskFilter{Query: tc.q, Limit: 50})
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var got []string
		for _, c := range p.Cases {
			for label := range texts {
				if c.ID == cid(label) {
					got = append(got, label)
				}
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("search %q found %v, want %v", tc.q, got, tc.want)
		}
	}
}
