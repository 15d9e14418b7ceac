package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

var staff = domain.Actor{Role: domain.RoleStaff, ID: "staff-1", Name: "测试"}

// A case is projected from a station's fact, then moved by staff strictly along the
// lifecycle, and closed by the hub once its rating window has passed.
func testCaseProjection(t *testing.T, e *env) {
	e.addStation("HX01")
	k1 := e.kiosk("HX01")
	id := CaseID("case-1")
	sub := k1.Submission(t, "case-1", "N1")
	e.apply(k1, sub)
	c, err := e.s.Case(e.ctx, id)
	if err != nil || c.State != domain.StateSubmitted || c.Number != CaseNumber(k1.Dev, "N1") || c.Station != "HX01" || !c.SubmittedAt.Equal(sub.At) {
		t.Fatalf("projection of the submission: %+v, %v", c, err)
	}
	e.clk.Advance(time.Hour)
	before := e.lastSeq()
	_, err = e.s.Act(e.ctx, id, domain.KindCaseReplied, domain.Actor{Role: domain.RoleResident, ID: Resident},
		domain.CaseReplied{Reply: "x"})
	var te *domain.TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("illegal act: %v, want a *domain.TransitionError", err)
	}
	if e.lastSeq() != before {
		t.Fatal("a refused action appended to the log")
	}
	if _, err := e.s.Act(e.ctx, "no-such-case", domain.KindCaseSupervised, staff, domain.CaseNote{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("act on an unknown case: %v, want ErrNotFound", err)
	}
	steps := []struct {
		kind    domain.Kind
		actor   domain.Actor
		payload any
		state   domain.State
	}{
		{domain.KindCaseAccepted, staff, domain.CaseAccepted{RepID: "rep-a", RepName: "张三"}, domain.StateAccepted},
		{domain.KindCaseAssigned, staff, domain.CaseAssigned{DeptCode: "JD-CG", DeptName: "街道城管科"}, domain.StateAssigned},
		{domain.KindCaseProgress, domain.Actor{Role: domain.RoleDepartment, ID: "JD-CG"}, domain.CaseNote{Note: "已派人"}, domain.StateInProgress},
		{domain.KindCaseReplied, staff, domain.CaseReplied{Reply: "已清运"}, domain.StateReplied},
	}
	for _, st := range steps {
		ev, err := e.s.Act(e.ctx, id, st.kind, st.actor, st.payload)
		if err != nil {
			t.Fatalf("%s: %v", st.kind, err)
		}
		if ev.Device != domain.HubDevice || ev.HubSeq != e.lastSeq() || ev.Station != "HX01" ||
			ev.Stream != id || !ev.At.Equal(e.clk.Now()) {
			t.Fatalf("%s: stored as %+v", st.kind, ev)
		}
		c, err := e.s.Case(e.ctx, id)
		if err != nil || c.State != st.state {
			t.Fatalf("after %s: state %s, %v; want %s", st.kind, c.State, err, st.state)
		}
	}
	c, _ = e.s.Case(e.ctx, id)
	if c.RepID != "rep-a" || c.DeptCode != "JD-CG" {
		t.Fatalf("projection after staff actions: %+v", c)
	}
	// The rating window passes without a rating: the hub closes the case itself, once.
	if n, err := e.s.CloseUnrated(e.ctx); err != nil || n != 0 {
		t.Fatalf("close unrated within the window: %d, %v", n, err)
	}
	e.clk.Advance(domain.DefaultRatingWindow + time.Minute)
	if n, err := e.s.CloseUnrated(e.ctx); err != nil || n != 1 {
		t.Fatalf("close unrated: %d, %v; want 1", n, err)
	}
	if n, err := e.s.CloseUnrated(e.ctx); err != nil || n != 0 {
		t.Fatalf("close unrated again: %d, %v; want 0", n, err)
	}
	c, _ = e.s.Case(e.ctx, id)
	if c.State != domain.StateClosed || !c.ClosedUnrated {
		t.Fatalf("after the rating window: %s unrated=%v", c.State, c.ClosedUnrated)
	}
	// Projections survive a restart and a rebuild from the log unchanged.
	e.reopen()
	n, err := e.s.RebuildProjections(e.ctx)
	if err != nil || int64(n) != e.lastSeq() {
		t.Fatalf("rebuild read %d events, %v; log at %d", n, err, e.lastSeq())
	}
	again, err := e.s.Case(e.ctx, id)
	if err != nil || again.State != c.State || again.Version != c.Version || again.RepID != c.RepID {
		t.Fatalf("after reopen and rebuild %+v, %v; was %+v", again, err, c)
	}
	e.checkLog("HX01")
}

func testCaseLookups(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	a, b := e.kiosk("HX01"), e.kiosk("HX02")
	b.At = b.At.Add(30 * time.Second) // each of b's cases half a minute after a's
	label := map[string]string{}      // case id -> the test's name of the case
	for i := range 3 {
		la, lb := fmt.Sprintf("a%d", i), fmt.Sprintf("b%d", i)
		label[CaseID(la)], label[CaseID(lb)] = la, lb
		e.apply(a, a.Submission(t, la, fmt.Sprintf("HX01-K1-20261123-%04d", i+1)))
		e.apply(b, b.Submission(t, lb, fmt.Sprintf("HX02-K1-20261123-%04d", i+1)))
	}
	if _, err := e.s.Act(e.ctx, CaseID("a1"), domain.KindCaseAccepted, staff, domain.CaseAccepted{RepID: "rep-a", RepName: "张三"}); err != nil {
		t.Fatal(err)
	}
	c, err := e.s.CaseByNumber(e.ctx, "HX02-K1-20261123-0003")
	if err != nil || c.ID != CaseID("b2") {
		t.Fatalf("by number: %+v, %v", c, err)
	}
	if _, err := e.s.CaseByNumber(e.ctx, "HX09-K1-20261123-0001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown number: %v, want ErrNotFound", err)
	}
	if _, err := e.s.Case(e.ctx, CaseID("zz")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown id: %v, want ErrNotFound", err)
	}
	ids := func(f store.CaseFilter) string {
		t.Helper()
		cs, err := e.s.Cases(e.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := ""
		for _, c := range cs {
			out += label[c.ID] + " "
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    store.CaseFilter
		want string
	}{
		{"all, newest first", store.CaseFilter{}, "b2 a2 b1 a1 b0 a0 "},
		{"one station", store.CaseFilter{Station: "HX01"}, "a2 a1 a0 "},
		{"one state", store.CaseFilter{State: domain.StateAccepted}, "a1 "},
		{"state and station", store.CaseFilter{State: domain.StateSubmitted, Station: "HX01"}, "a2 a0 "},
		{"limit", store.CaseFilter{Limit: 2}, "b2 a2 "},
	} {
		if got := ids(tc.f); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func testEventsAfter(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	global := domain.Event{Stream: "category:env", Kind: domain.KindCategoryUpserted, At: t0,
		Actor: domain.Actor{Role: domain.RoleSystem}, Data: mustJSON(t, domain.Category{Code: "env", Name: "环境卫生"})}
	if ok, err := e.s.Import(e.ctx, "cats", []domain.Event{global}); err != nil || !ok {
		t.Fatal(ok, err)
	}
	a, b := e.kiosk("HX01"), e.kiosk("HX02")
	if a.Dev.Code != "K1" || b.Dev.Code != "K1" {
		t.Fatalf("codes are per station: %s, %s", a.Dev.Code, b.Dev.Code)
	}
	for i := range 3 {
		e.apply(a, a.Submission(t, fmt.Sprintf("a%d", i), fmt.Sprintf("A%d", i)))
		e.apply(b, b.Submission(t, fmt.Sprintf("b%d", i), fmt.Sprintf("B%d", i)))
	}
	all, err := e.s.EventsAfter(e.ctx, "HX01", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	// HX01's station event, the global category, three submissions.
	if len(all) != 5 {
		t.Fatalf("%d events in HX01's scope, want 5", len(all))
	}
	for i, ev := range all {
		if ev.Station != "HX01" && ev.Station != "" {
			t.Errorf("event of station %q in HX01's scope", ev.Station)
		}
		if i > 0 && ev.HubSeq <= all[i-1].HubSeq {
			t.Errorf("events not ascending at %d", i)
		}
	}
	page, err := e.s.EventsAfter(e.ctx, "HX01", all[1].HubSeq, 2)
	if err != nil || len(page) != 2 || page[0].HubSeq != all[2].HubSeq || page[1].HubSeq != all[3].HubSeq {
		t.Fatalf("page of 2 after %d: %d events, %v", all[1].HubSeq, len(page), err)
	}
	globals, err := e.s.EventsAfter(e.ctx, "", 0, 100)
	if err != nil || len(globals) != 1 || globals[0].Kind != domain.KindCategoryUpserted {
		t.Fatalf("global scope: %+v, %v", globals, err)
	}
	for _, tc := range []struct {
		name  string
		after int64
		limit int
	}{
		{"limit 0", 0, 0},
		{"after the last", e.lastSeq(), 100},
	} {
		if evs, err := e.s.EventsAfter(e.ctx, "HX01", tc.after, tc.limit); err != nil || len(evs) != 0 {
			t.Errorf("%s: %d events, %v; want none", tc.name, len(evs), err)
		}
	}
	e.checkLog("HX01", "HX02")
}

func testSubscribe(t *testing.T, e *env) {
	ch, cancel := e.s.Subscribe()
	defer cancel()
	e.addStation("HX01")
	want := e.lastSeq()
	select {
	case got := <-ch:
		if got != want {
			t.Fatalf("notified %d, want %d", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notification after an append")
	}
	// Appends nobody read yet are coalesced into the newest.
	e.addStation("HX02")
	e.addStation("HX03")
	want = e.lastSeq()
	select {
	case got := <-ch:
		if got != want {
			t.Fatalf("after two appends notified %d, want the newest %d", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no notification after two appends")
	}
	cancel()
	if _, ok := <-ch; ok {
		t.Fatal("channel open after cancel")
	}
}

func testReference(t *testing.T, e *env) {
	if _, err := e.s.UpsertStation(e.ctx, domain.Station{Code: "hx 01", Name: "花溪联络站"}, staff); !errors.Is(err, store.ErrInvalidFact) {
		t.Fatalf("station with a malformed code: %v, want ErrInvalidFact", err)
	}
	if _, err := e.s.UpsertStation(e.ctx, domain.Station{Code: "HX01"}, staff); !errors.Is(err, store.ErrInvalidFact) {
		t.Fatalf("station without a name: %v, want ErrInvalidFact", err)
	}
	if _, err := e.s.Station(e.ctx, "HX01"); !errors.Is(err, store.ErrUnknownStation) {
		t.Fatalf("unknown station: %v, want ErrUnknownStation", err)
	}
	ev, err := e.s.UpsertStation(e.ctx, domain.Station{Code: "HX01", Name: "花溪联络站"}, staff)
	if err != nil || ev.HubSeq != e.lastSeq() || ev.Kind != domain.KindStationUpserted || ev.Station != "HX01" {
		t.Fatalf("upsert station: %+v, %v", ev, err)
	}
	if st, err := e.s.Station(e.ctx, "HX01"); err != nil || st.Name != "花溪联络站" {
		t.Fatalf("station: %+v, %v", st, err)
	}
	ref := func(kind domain.Kind, station, stream string, v any) domain.Event {
		return domain.Event{Station: station, Stream: stream, Kind: kind, At: t0,
			Actor: domain.Actor{Role: domain.RoleSystem, Name: "测试"}, Data: mustJSON(t, v)}
	}
	refs := []domain.Event{
		ref(domain.KindCategoryUpserted, "", "category:env", domain.Category{Code: "env", Name: "环境卫生"}),
		ref(domain.KindDepartmentUpserted, "", "department:JD-CG", domain.Department{Code: "JD-CG", Name: "街道城管科"}),
		ref(domain.KindRepresentativeUpserted, "HX01", "rep:HX01-R01", domain.Representative{ID: "HX01-R01", Name: "张三"}),
		ref(domain.KindActivityUpserted, "HX01", "activity:a3", domain.Activity{ID: "a3", Station: "HX01", Title: "接待日",
			Starts: t0, Ends: t0.Add(time.Hour)}),
	}
	before := e.lastSeq()
	if ok, err := e.s.Import(e.ctx, "refs", refs); err != nil || !ok {
		t.Fatalf("import: %v, %v", ok, err)
	}
	if ok, err := e.s.Import(e.ctx, "refs", refs); err != nil || ok || e.lastSeq() != before+int64(len(refs)) {
		t.Fatalf("second import of one name: %v, %v, log %d -> %d", ok, err, before, e.lastSeq())
	}
	if c, err := e.s.Category(e.ctx, "env"); err != nil || c.Name != "环境卫生" {
		t.Errorf("category: %+v, %v", c, err)
	}
	if d, err := e.s.Department(e.ctx, "JD-CG"); err != nil || d.Name != "街道城管科" {
		t.Errorf("department: %+v, %v", d, err)
	}
	if r, err := e.s.Representative(e.ctx, "HX01-R01"); err != nil || r.Name != "张三" {
		t.Errorf("representative: %+v, %v", r, err)
	}
	if a, err := e.s.Activity(e.ctx, "a3"); err != nil || a.Title != "接待日" {
		t.Errorf("activity: %+v, %v", a, err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"category", second(e.s.Category(e.ctx, "nope")), store.ErrNotFound},
		{"department", second(e.s.Department(e.ctx, "nope")), store.ErrNotFound},
		{"representative", second(e.s.Representative(e.ctx, "nope")), store.ErrUnknownRep},
		{"activity", second(e.s.Activity(e.ctx, "nope")), store.ErrActivityNotFound},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("unknown %s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	reps, err := e.s.RefData(e.ctx, domain.KindRepresentativeUpserted, "HX02")
	if err != nil || len(reps) != 0 {
		t.Errorf("HX01's representative in HX02's scope: %s, %v", reps, err)
	}
	cats, err := e.s.RefData(e.ctx, domain.KindCategoryUpserted, "HX02")
	if err != nil || len(cats) != 1 {
		t.Errorf("global category in HX02's scope: %s, %v", cats, err)
	}
	if err := e.s.Ping(e.ctx); err != nil {
		t.Errorf("ping: %v", err)
	}
	e.checkLog("HX01")
}

func second[T any](_ T, err error) error { return err }
