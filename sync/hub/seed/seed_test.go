package seed

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Every hub store can take the demo.
var _ Importer = store.Store(nil)

var testNow = time.Date(2026, 11, 23, 6, 30, 0, 0, time.UTC) // 14:30 in the stations' zone

func foldAll(t *testing.T, evs []domain.Event) map[string]domain.Case {
	t.Helper()
	streams := map[string][]domain.Event{}
	for _, ev := range evs {
		if ev.Kind.IsCase() {
			streams[ev.Stream] = append(streams[ev.Stream], ev)
		}
	}
	out := map[string]domain.Case{}
	for id, s := range streams {
		c, applied := domain.Fold(s, domain.DefaultRules())
		for _, a := range applied {
			if !a.Effective {
				t.Errorf("case %s: event %s has no effect: %s (%s)", id, a.EventID, a.Reason, a.Code)
			}
		}
		out[id] = c
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	a, err := Generate(7, testNow)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(7, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed and now gave different demos")
	}
	c, err := Generate(8, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Events, c.Events) {
		t.Fatal("different seeds gave the same events")
	}
}

func TestGenerateShape(t *testing.T) {
	t.Parallel()
	d, err := Generate(DefaultSeed, testNow)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name   string
		n      int
		lo, hi int
	}{
		{"communities", len(d.Station.Communities), 4, 6},
		{"representatives", len(d.Representatives), 14, 18},
		{"departments", len(d.Departments), 5, 10},
		{"categories", len(d.Categories), 6, 8},
		{"projects", len(d.Projects), 3, 4},
		{"activities", len(d.Activities), 5, 12},
		{"roster days", len(d.Roster), 15, 25},
	}
	for _, c := range checks {
		if c.n < c.lo || c.n > c.hi {
			t.Errorf("%s: %d, want %d..%d", c.name, c.n, c.lo, c.hi)
		}
	}
	levels, genders := map[string]bool{}, map[string]bool{}
	for _, r := range d.Representatives {
		levels[r.Level], genders[r.Gender] = true, true
		if len(r.Communities) == 0 || r.Constituency == "" {
			t.Errorf("representative %s has no constituency", r.ID)
		}
	}
	if len(levels) != 3 || len(genders) != 2 {
		t.Errorf("levels %v, genders %v: want 3 levels and both genders", levels, genders)
	}
	for _, c := range d.Categories {
		if len(c.Templates) < 2 || len(c.Templates) > 4 || c.Icon == "" {
			t.Errorf("category %s: %d templates, icon %q", c.Code, len(c.Templates), c.Icon)
		}
	}
	var past, now, future bool
	for _, a := range d.Activities {
		switch {
		case a.Ends.Before(testNow):
			past = true
		case a.Starts.After(testNow):
			future = true
		default:
			now = true
		}
		if a.Capacity <= 0 {
			t.Errorf("activity %s has no capacity", a.ID)
		}
	}
	if !past || !now || !future {
		t.Errorf("activities past %v, in progress %v, upcoming %v: want all", past, now, future)
	}
	for _, p := range d.Projects {
		if p.Progress < 0 || p.Progress > 100 || len(p.Milestones) < 2 {
			t.Errorf("project %s: progress %d, %d milestones", p.ID, p.Progress, len(p.Milestones))
		}
	}
}

func TestHistoryCoversTheLifecycle(t *testing.T) {
	t.Parallel()
	d, err := Generate(DefaultSeed, testNow)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(d.Events); i++ {
		if d.Events[i].At.Before(d.Events[i-1].At) {
			t.Fatalf("event %d is older than the one before it", i)
		}
	}
	ids := map[string]bool{}
	for _, ev := range d.Events {
		if ids[ev.ID] {
			t.Fatalf("duplicate event id %s", ev.ID)
		}
		ids[ev.ID] = true
		if ev.At.After(testNow) {
			t.Errorf("event %s (%s) is in the future", ev.ID, ev.Kind)
		}
		if ev.At.Before(testNow.AddDate(0, 0, -HistoryDays-2)) {
			t.Errorf("event %s is older than the history window", ev.ID)
		}
	}
	cases := foldAll(t, d.Events)
	if len(cases) != CaseCount {
		t.Fatalf("%d cases, want %d", len(cases), CaseCount)
	}
	states := map[domain.State]int{}
	ratings := map[domain.Rating]int{}
	var overdue, supervised, reopened, unrated int
	numbers := map[string]bool{}
	for _, c := range cases {
		states[c.State]++
		ratings[c.Rating]++
		if domain.Overdue(c, testNow, domain.DefaultRules()) {
			overdue++
		}
		if c.SupervisedCount > 0 {
			supervised++
		}
		if c.ReopenCount > 0 {
			reopened++
		}
		if c.ClosedUnrated {
			unrated++
		}
		if numbers[c.Number] {
			t.Errorf("case number %s used twice", c.Number)
		}
		numbers[c.Number] = true
	}
	for _, s := range []domain.State{domain.StateSubmitted, domain.StateAccepted, domain.StateAssigned,
		domain.StateInProgress, domain.StateReturned, domain.StateReplied, domain.StateReopened,
		domain.StateClosed, domain.StateWithdrawn, domain.StateMerged} {
		if states[s] == 0 {
			t.Errorf("no case in state %s (states: %v)", s, states)
		}
	}
	for _, r := range []domain.Rating{domain.RatingSatisfied, domain.RatingBasically, domain.RatingUnsatisfied} {
		if ratings[r] == 0 {
			t.Errorf("no case rated %s", r)
		}
	}
	for _, c := range cases {
		if c.State == domain.StateReplied && !testNow.Before(domain.DefaultRules().RatingDeadline(c.RepliedAt)) {
			t.Errorf("replied case %s is past its rating window", c.Number)
		}
	}
	if overdue == 0 || supervised == 0 || reopened == 0 || unrated == 0 {
		t.Errorf("overdue %d, supervised %d, reopened %d, closed unrated %d: want some of each",
			overdue, supervised, reopened, unrated)
	}
}

func TestRefEventsDecode(t *testing.T) {
	t.Parallel()
	d, err := Generate(DefaultSeed, testNow)
	if err != nil {
		t.Fatal(err)
	}
	var stations, global int
	for _, ev := range d.Events {
		if ev.Kind.IsCase() {
			continue
		}
		if ev.Station == "" {
			global++
		}
		if ev.Kind == domain.KindStationUpserted {
			stations++
			var st domain.Station
			if err := json.Unmarshal(ev.Data, &st); err != nil || st.Code != StationCode {
				t.Errorf("station event decodes to %+v, %v", st, err)
			}
		}
	}
	if stations != 1 || global == 0 {
		t.Errorf("%d station events, %d global reference events", stations, global)
	}
}

type fakeImporter struct {
	names map[string]int
}

func (f *fakeImporter) Import(_ context.Context, name string, evs []domain.Event) (bool, error) {
	if _, ok := f.names[name]; ok {
		return false, nil
	}
	f.names[name] = len(evs)
	return true, nil
}

func TestLoadUsesOneImportName(t *testing.T) {
	t.Parallel()
	imp := &fakeImporter{names: map[string]int{}}
	ok, err := Load(context.Background(), imp, 1, testNow)
	if err != nil || !ok {
		t.Fatalf("first load: %v, %v", ok, err)
	}
	ok, err = Load(context.Background(), imp, 1, testNow.Add(time.Hour))
	if err != nil || ok {
		t.Fatalf("second load: %v, %v; want a no-op", ok, err)
	}
	if imp.names[ImportName] < CaseCount {
		t.Errorf("imported %d events", imp.names[ImportName])
	}
}

func TestHistoryLegalAtAnyHour(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		now  time.Time
	}{
		{"early morning", time.Date(2026, 3, 2, 22, 10, 0, 0, time.UTC)}, // 06:10 local
		{"late evening", time.Date(2026, 6, 14, 14, 50, 0, 0, time.UTC)}, // 22:50 local, Sunday
		{"new year", time.Date(2027, 1, 1, 1, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for seed := int64(1); seed <= 3; seed++ {
				d, err := Generate(seed, tc.now)
				if err != nil {
					t.Fatal(err)
				}
				for _, ev := range d.Events {
					if ev.At.After(tc.now) {
						t.Fatalf("seed %d: event %s at %v is after now", seed, ev.Kind, ev.At)
					}
				}
				if n := len(foldAll(t, d.Events)); n != CaseCount {
					t.Fatalf("seed %d: %d cases", seed, n)
				}
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(DefaultSeed, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// The demo street looks like a working one at any hour of the week: some cases in hand are past
// their deadline, but only a few.
func TestFewOpenCasesOverdue(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC) // a Friday
	for h := 0; h < 7*24; h += 13 {
		now := start.Add(time.Duration(h) * time.Hour)
		d, err := Generate(DefaultSeed, now)
		if err != nil {
			t.Fatal(err)
		}
		open, overdue := 0, 0
		for _, c := range foldAll(t, d.Events) {
			switch c.State {
			case domain.StateClosed, domain.StateWithdrawn, domain.StateMerged, domain.StateReplied:
				continue
			}
			open++
			if domain.Overdue(c, now, domain.DefaultRules()) {
				overdue++
			}
		}
		if overdue == 0 || overdue*5 > open {
			t.Errorf("at %s: %d of %d open cases overdue, want some but at most a fifth", now.Format(time.RFC3339), overdue, open)
		}
	}
}

// Every community has cases waiting for a representative at any hour of the week, so each
// representative's phone lists new cases to claim (the one-in-five community of a single
// representative had none about one time in seven while communities were drawn).
func TestEveryCommunityHasNewCases(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for m := 0; m < 7*24*60; m += 97 {
		now := start.Add(time.Duration(m) * time.Minute)
		d, err := Generate(DefaultSeed, now)
		if err != nil {
			t.Fatal(err)
		}
		waiting := map[string]int{}
		for _, c := range foldAll(t, d.Events) {
			if c.State == domain.StateSubmitted && c.RepID == "" {
				waiting[c.Community]++
			}
		}
		for _, community := range d.Station.Communities {
			if waiting[community] == 0 {
				t.Errorf("at %s: no case waits for a representative in %s", now.Format(time.RFC3339), community)
			}
		}
	}
}

// The demo street's reference data is what an admin could enter: every item passes the
// checks the console and the CLI apply, under the key its stream names.
func TestSeedReferenceDataPassesTheChecks(t *testing.T) {
	d, err := Generate(7, testNow)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ev := range d.Events {
		rk, ok := domain.LookupRefKind(string(ev.Kind))
		if !ok {
			continue
		}
		n++
		if ps := domain.CheckRef(ev.Kind, ev.Data); len(ps) > 0 {
			t.Errorf("%s: %+v", ev.Stream, ps)
		}
		key, err := domain.RefKey(ev.Kind, ev.Data)
		if err != nil || rk.Stream(key) != ev.Stream {
			t.Errorf("%s: key %q, %v", ev.Stream, key, err)
		}
		if s := domain.RefScope(ev.Kind, ev.Data); s != ev.Station {
			t.Errorf("%s: scope %q, event's station %q", ev.Stream, s, ev.Station)
		}
	}
	if n == 0 {
		t.Fatal("no reference events")
	}
}
