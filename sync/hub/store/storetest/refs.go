package storetest

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

var admin = domain.Actor{Role: domain.RoleStaff, ID: "admin", Name: "管理员"}

func refWrite(t *testing.T, kind domain.Kind, v any, create bool) store.RefWrite {
	t.Helper()
	data := mustJSON(t, v)
	key, err := domain.RefKey(kind, data)
	if err != nil {
		t.Fatalf("key of %s: %v", kind, err)
	}
	return store.RefWrite{Kind: kind, Key: key, Data: data, Create: create}
}

// problemsOf lists "index key field code" of a refusal.
func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var r *store.RefRefused
	if !errors.As(err, &r) {
		t.Fatalf("error %v, want *RefRefused", err)
	}
	var out []string
	for _, p := range r.Problems {
		out = append(out, strconv.Itoa(p.Index)+" "+p.Key+" "+p.Field+" "+p.Code)
	}
	return out
}

func testPutRefs(t *testing.T, e *env) {
	starts := t0.Add(24 * time.Hour)
	station := domain.Station{Code: "HX01", Name: "和谐街道联络站", Communities: []string{"幸福里社区"}}
	rep := domain.Representative{ID: "HX01-R01", Name: "张三", Level: "区", Stations: []string{"HX01"},
		Communities: []string{"幸福里社区"}}
	duty := domain.DutyShift{Station: "HX01", Day: "2026-11-24", RepIDs: []string{"HX01-R01"},
		Starts: starts, Ends: starts.Add(8 * time.Hour)}
	dept := domain.Department{Code: "JD-CG", Name: "街道城管科"}
	batch := []store.RefWrite{
		refWrite(t, domain.KindStationUpserted, station, true),
		refWrite(t, domain.KindRepresentativeUpserted, rep, true),
		refWrite(t, domain.KindDutyRosterUpserted, duty, true),
		refWrite(t, domain.KindDepartmentUpserted, dept, true),
	}
	before := e.lastSeq()
	res, err := e.s.PutRefs(e.ctx, batch, admin)
	if err != nil || len(res.Events) != 4 || res.Unchanged != 0 {
		t.Fatalf("put a new street (items naming ones earlier in the batch): %+v, %v", res, err)
	}
	if e.lastSeq() != before+4 {
		t.Fatalf("log %d -> %d, want 4 events", before, e.lastSeq())
	}
	wantStreams := []string{"station:HX01", "rep:HX01-R01", "duty:HX01:2026-11-24", "dept:JD-CG"}
	wantScopes := []string{"HX01", "HX01", "HX01", ""}
	for i, ev := range res.Events {
		if ev.Stream != wantStreams[i] || ev.Station != wantScopes[i] || ev.Actor != admin ||
			ev.Device != domain.HubDevice || ev.HubSeq != before+int64(i)+1 {
			t.Errorf("event %d: %+v", i, ev)
		}
	}
	got, err := e.s.RefItem(e.ctx, domain.KindRepresentativeUpserted, "HX01-R01")
	var r domain.Representative
	if err != nil || json.Unmarshal(got, &r) != nil || r.Name != "张三" {
		t.Fatalf("item: %s, %v", got, err)
	}
	if _, err := e.s.RefItem(e.ctx, domain.KindRepresentativeUpserted, "HX01-R99"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown item: %v, want ErrNotFound", err)
	}
	if s, err := e.s.Station(e.ctx, "HX01"); err != nil || s.Name != station.Name {
		t.Errorf("station through its reader: %+v, %v", s, err)
	}

	// The same items again, spaced differently: nothing is appended.
	again := slices.Clone(batch)
	again[3].Data = json.RawMessage(`{ "name": "街道城管科", "code": "JD-CG" }`)
	for i := range again {
		again[i].Create = false
	}
	res, err = e.s.PutRefs(e.ctx, again, admin)
	if err != nil || len(res.Events) != 0 || res.Unchanged != 4 || e.lastSeq() != before+4 {
		t.Fatalf("re-put of the same items: %+v, %v, log %d", res, err, e.lastSeq())
	}

	// One bad write refuses the whole batch with every problem, and nothing changes.
	dept.Name = "城管执法队"
	seq := e.lastSeq()
	bad := []store.RefWrite{
		refWrite(t, domain.KindDepartmentUpserted, dept, false), // good on its own
		refWrite(t, domain.KindStationUpserted, station, true),  // duplicate
		refWrite(t, domain.KindActivityUpserted, domain.Activity{ID: "A1", Station: "HX09", Title: "接待", Kind: "接待日",
			Place: "室", Starts: starts, Ends: starts.Add(time.Hour), Capacity: 2}, true), // unknown station
		refWrite(t, domain.KindDutyRosterUpserted, domain.DutyShift{Station: "HX01", Day: "2026-11-25",
			RepIDs: []string{"HX01-R01", "HX01-R77"}, Starts: starts.Add(24 * time.Hour), Ends: starts.Add(25 * time.Hour)}, false),
		refWrite(t, domain.KindRepresentativeUpserted, domain.Representative{ID: "HX01-R02", Name: "李四", Level: "市",
			Stations: []string{"HX01"}, Communities: []string{"月亮湾社区"}}, true), // a community HX01 does not serve
		refWrite(t, domain.KindCategoryUpserted, domain.Category{Code: "env", Name: "环境", AcceptHours: 0, HandleDays: 400}, true),
		{Kind: domain.KindDepartmentUpserted, Key: "Q-ZJ", Data: mustJSON(t, domain.Department{Code: "Q-JT", Name: "交通局"})},
	}
	_, err = e.s.PutRefs(e.ctx, bad, admin)
	want := []string{
		"1 HX01 code ref_duplicate",
		"2 A1 station ref_dangling",
		"3 HX01:2026-11-25 rep_ids[1] ref_dangling",
		"4 HX01-R02 communities[0] ref_dangling",
		"5 env handle_days field_out_of_range",
		"6 Q-ZJ code ref_key_mismatch",
	}
	if got := problemsOf(t, err); !slices.Equal(got, want) {
		t.Errorf("problems:\n%q\nwant\n%q", got, want)
	}
	if e.lastSeq() != seq {
		t.Fatalf("a refused batch appended: log %d -> %d", seq, e.lastSeq())
	}
	if d, err := e.s.Department(e.ctx, "JD-CG"); err != nil || d.Name != "街道城管科" {
		t.Errorf("the good write of a refused batch took effect: %+v, %v", d, err)
	}

	// Two creates of one key in a batch: the second is a duplicate.
	cat := domain.Category{Code: "env", Name: "环境卫生", Icon: "leaf", HandleDays: 5}
	_, err = e.s.PutRefs(e.ctx, []store.RefWrite{refWrite(t, domain.KindCategoryUpserted, cat, true),
		refWrite(t, domain.KindCategoryUpserted, cat, true)}, admin)
	if got := problemsOf(t, err); !slices.Equal(got, []string{"1 env code ref_duplicate"}) {
		t.Errorf("duplicate in one batch: %q", got)
	}

	// Retiring is an edit: the item stays, marked, and history keeps its name.
	rep.Retired = true
	res, err = e.s.PutRefs(e.ctx, []store.RefWrite{refWrite(t, domain.KindRepresentativeUpserted, rep, false)}, admin)
	if err != nil || len(res.Events) != 1 {
		t.Fatalf("retire: %+v, %v", res, err)
	}
	if r, err := e.s.Representative(e.ctx, "HX01-R01"); err != nil || !r.Retired || r.Name != "张三" {
		t.Errorf("retired representative: %+v, %v", r, err)
	}
	if _, err := e.s.IssueBadge(e.ctx, "HX01-R01", time.Time{}); !errors.Is(err, store.ErrRepRetired) {
		t.Errorf("badge for a retired representative: %v, want ErrRepRetired", err)
	}

	// An activity moved to another station becomes global, so the first station sees the move.
	if _, err := e.s.UpsertStation(e.ctx, domain.Station{Code: "HX02", Name: "二站"}, admin); err != nil {
		t.Fatal(err)
	}
	act := domain.Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日", Place: "室",
		Starts: starts, Ends: starts.Add(time.Hour), Capacity: 2}
	res, err = e.s.PutRefs(e.ctx, []store.RefWrite{refWrite(t, domain.KindActivityUpserted, act, true)}, admin)
	if err != nil || res.Events[0].Station != "HX01" {
		t.Fatalf("activity: %+v, %v", res, err)
	}
	act.Station = "HX02"
	res, err = e.s.PutRefs(e.ctx, []store.RefWrite{refWrite(t, domain.KindActivityUpserted, act, false)}, admin)
	if err != nil || res.Events[0].Station != "" {
		t.Fatalf("moved activity: %+v, %v", res, err)
	}
	evs, err := e.s.EventsAfter(e.ctx, "HX01", res.Events[0].HubSeq-1, 10)
	if err != nil || len(evs) != 1 || evs[0].Stream != "activity:A1" {
		t.Errorf("HX01 does not see the activity leave: %+v, %v", evs, err)
	}
}
