package console_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
)

// newDistrict is the fixture with the demo district loaded around the demo street, and the
// accounts of its levels: hx (staff of 和谐街道), hp (staff of 和平街道), qu (staff of 示范区),
// quzj (区住建局) besides the fixture's own, which see the whole hub.
func newDistrict(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	if ok, err := seed.LoadLevels(context.Background(), f.st, seed.DefaultSeed, t0); err != nil || !ok {
		t.Fatalf("load the demo district: %v %v", ok, err)
	}
	for _, u := range []console.NewUser{
		{Login: "hx", Name: "街道甲", Role: "staff", Node: seed.StreetCode},
		{Login: "hp", Name: "街道乙", Role: "staff", Node: seed.NeighbourStreet},
		{Login: "qu", Name: "区丙", Role: "staff", Node: seed.DistrictCode},
		{Login: "quzj", Name: "局丁", Role: "department", DeptCode: "Q-ZJ"},
	} {
		u.Password = password
		if _, err := f.con.Accounts().Add(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// call sends a request as c and decodes its 200 answer.
func call[T any](t *testing.T, c *client, method, path string, body any) T {
	t.Helper()
	resp, raw := c.req(t, method, path, body, nil)
	return decodeAs[T](t, resp, raw)
}

func decodeAs[T any](t *testing.T, resp *http.Response, body []byte) T {
	t.Helper()
	var v T
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	return v
}

func act(t *testing.T, c *client, cs domain.Case, action string, body map[string]any) (*http.Response, []byte) {
	t.Helper()
	return c.req(t, "POST", "/api/v1/cases/"+cs.ID+"/"+action, body, nil)
}

// A street hands a case it cannot solve up to the district (上报); from then on the street
// may no longer assign it, the district sees it among the cases handed up, assigns it to a
// district bureau (not to a street's office), the bureau replies, and the resident's timeline
// tells every step.
func TestEscalationAcrossLevels(t *testing.T) {
	t.Parallel()
	f := newDistrict(t)
	hx, hp, qu, quzj := f.token(t, "hx"), f.token(t, "hp"), f.token(t, "qu"), f.token(t, "quzj")
	cs := f.newCase(t, domain.StateAccepted, "")

	// the street sees what it may do: assign to its own offices and the district's bureaus,
	// or hand it up to 示范区
	d := call[console.CaseDetail](t, hx, "GET", "/api/v1/cases/"+cs.ID, nil)
	if d.Level != seed.StreetCode || d.EscalateTo == nil || d.EscalateTo.Code != seed.DistrictCode {
		t.Fatalf("street's view: level %q, escalate to %+v", d.Level, d.EscalateTo)
	}
	if len(d.EscalateTargets) != 2 || d.EscalateTargets[0].Code != seed.DistrictCode || d.EscalateTargets[1].Code != seed.CityCode {
		t.Fatalf("the street may hand up to 示范区 or 示范市: %+v", d.EscalateTargets)
	}
	if !deptListed(d.Departments, "JD-CG") || !deptListed(d.Departments, "Q-ZJ") || deptListed(d.Departments, "HP-CG") {
		t.Errorf("a street's case goes to its offices and the bureaus above: %+v", d.Departments)
	}
	// another street does not see it at all
	if resp, _ := hp.req(t, "GET", "/api/v1/cases/"+cs.ID, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another street's staff read the case: %d", resp.StatusCode)
	}
	if resp, body := act(t, hp, cs, "escalate", map[string]any{"note": "越权"}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another street escalated the case: %d %s", resp.StatusCode, body)
	}
	// a node below the case's level is no target
	if resp, body := act(t, hx, cs, "escalate", map[string]any{"to": seed.NeighbourStreet}); resp.StatusCode != http.StatusBadRequest ||
		errorCode(t, body) != domain.CodeEscalateBadTarget {
		t.Errorf("escalating sideways: %d %s", resp.StatusCode, body)
	}
	d = call[console.CaseDetail](t, hx, "POST", "/api/v1/cases/"+cs.ID+"/escalate", map[string]any{"note": "涉及区管道路，街道无权处理",
		"version": cs.Version})
	if d.Case.EscalatedTo != seed.DistrictCode || d.Case.State != domain.StateAccepted || d.Level != seed.DistrictCode ||
		d.EscalateTo == nil || d.EscalateTo.Code != seed.CityCode {
		t.Fatalf("escalated: %+v level %q up %+v", d.Case.Case, d.Level, d.EscalateTo)
	}
	if allowedOf(d, "assign") {
		t.Error("the street may still assign a case it handed up")
	}
	if resp, body := act(t, hx, cs, "assign", map[string]any{"dept_code": "JD-CG"}); resp.StatusCode != http.StatusConflict ||
		errorCode(t, body) != domain.CodeCaseOtherLevel {
		t.Errorf("the street assigned a case it handed up: %d %s", resp.StatusCode, body)
	}

	// the district finds it among the cases handed up to it
	list := call[console.CaseList](t, qu, "GET", "/api/v1/cases?escalated=1&per_page=200", nil)
	if len(list.Cases) != 1 || list.Cases[0].ID != cs.ID {
		t.Fatalf("the district's cases handed up: %d", len(list.Cases))
	}
	d = call[console.CaseDetail](t, qu, "GET", "/api/v1/cases/"+cs.ID, nil)
	if deptListed(d.Departments, "JD-CG") || !deptListed(d.Departments, "Q-ZJ") || !allowedOf(d, "assign") {
		t.Errorf("the district assigns to district bureaus only: %+v", d.Departments)
	}
	if resp, body := act(t, qu, cs, "assign", map[string]any{"dept_code": "JD-CG"}); resp.StatusCode != http.StatusBadRequest ||
		errorCode(t, body) != domain.CodeDeptOtherLevel {
		t.Errorf("the district gave a street office its case: %d %s", resp.StatusCode, body)
	}
	d = call[console.CaseDetail](t, qu, "POST", "/api/v1/cases/"+cs.ID+"/assign", map[string]any{"dept_code": "Q-ZJ", "version": d.Case.Version})
	if d.Case.State != domain.StateAssigned || d.Case.DeptCode != "Q-ZJ" {
		t.Fatalf("assigned by the district: %+v", d.Case.Case)
	}
	d = call[console.CaseDetail](t, quzj, "POST", "/api/v1/cases/"+cs.ID+"/reply", map[string]any{"reply": "已协调道路养护单位修复路灯"})
	if d.Case.State != domain.StateReplied {
		t.Fatalf("replied by the bureau: %s", d.Case.State)
	}
	var labels []string
	for _, e := range d.Timeline {
		labels = append(labels, e.Label+"|"+e.Text)
	}
	if !slices.Contains(labels, "上报上级|上报至示范区：涉及区管道路，街道无权处理") {
		t.Errorf("timeline: %q", labels)
	}
	// the street still follows its case, without acting on it
	if resp, _ := hx.req(t, "GET", "/api/v1/cases/"+cs.ID, nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the street lost sight of its case: %d", resp.StatusCode)
	}
}

func deptListed(ds []console.RefDepartment, code string) bool {
	return slices.ContainsFunc(ds, func(d console.RefDepartment) bool { return d.Code == code })
}

func allowedOf(d console.CaseDetail, action string) bool {
	return slices.ContainsFunc(d.Allowed, func(a console.ActionInfo) bool { return a.Action == action && a.Allowed })
}

// A street's account sees only its stations' cases; the district's sees both streets' and
// drills into one; a node outside an account's area is refused.
func TestAreaScopesTheDesk(t *testing.T) {
	t.Parallel()
	f := newDistrict(t)
	stationsOf := func(c *client, query string) map[string]int {
		t.Helper()
		list := call[console.CaseList](t, c, "GET", "/api/v1/cases?per_page=200"+query, nil)
		out := map[string]int{}
		for _, cs := range list.Cases {
			out[cs.Station]++
		}
		return out
	}
	hx, qu, admin := f.token(t, "hx"), f.token(t, "qu"), f.token(t, "admin")
	adminSession := f.login(t, "admin")
	if got := stationsOf(hx, ""); got[seed.NeighbourStation] != 0 || got[seed.StationCode] == 0 {
		t.Errorf("a street's desk: %v", got)
	}
	if got := stationsOf(qu, ""); got[seed.NeighbourStation] == 0 || got[seed.StationCode] == 0 {
		t.Errorf("the district's desk: %v", got)
	}
	if got := stationsOf(qu, "&node="+seed.NeighbourStreet); got[seed.StationCode] != 0 || got[seed.NeighbourStation] == 0 {
		t.Errorf("the district drilled into 和平街道: %v", got)
	}
	if got := stationsOf(admin, "&node="+seed.StreetCode); got[seed.NeighbourStation] != 0 {
		t.Errorf("the whole hub drilled into 和谐街道: %v", got)
	}
	resp, body := hx.req(t, "GET", "/api/v1/cases?node="+seed.DistrictCode, nil, nil)
	if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != domain.CodeBadNode {
		t.Errorf("a street looked at the district: %d %s", resp.StatusCode, body)
	}
	if resp, _ := hx.req(t, "GET", "/api/v1/board?node="+seed.NeighbourStreet, nil, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a street read another street's board: %d", resp.StatusCode)
	}
	ref := call[console.Ref](t, hx, "GET", "/api/v1/ref", nil)
	if len(ref.Stations) != 1 || ref.Stations[0].Code != seed.StationCode || len(ref.Nodes) != 1 {
		t.Errorf("a street's pickers: %+v %+v", ref.Stations, ref.Nodes)
	}
	depts := func(r console.Ref) map[string]bool {
		out := map[string]bool{}
		for _, d := range r.Departments {
			out[d.Code] = true
		}
		return out
	}
	if d := depts(ref); !d["JD-CG"] || !d["Q-ZJ"] || d["HP-CG"] {
		t.Errorf("a street's departments (its own and the district's, not 和平街道's): %v", d)
	}
	for _, r := range ref.Representatives {
		if !slices.Contains(r.Stations, seed.StationCode) {
			t.Errorf("a street's representatives list %s of %v", r.Name, r.Stations)
		}
	}
	// a category 和平街道 defined for itself is not in 和谐街道's pickers; the district's is
	for code, node := range map[string]string{"hp-port": seed.NeighbourStreet, "q-road": seed.DistrictCode} {
		resp, body := adminSession.do(t, "PUT", "/api/v1/admin/ref/category/"+code+"?create=1",
			map[string]any{"code": code, "name": "分类" + code, "node": node})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("category %s: %d %s", code, resp.StatusCode, body)
		}
	}
	cats := map[string]bool{}
	for _, k := range call[console.Ref](t, hx, "GET", "/api/v1/ref", nil).Categories {
		cats[k.Code] = true
	}
	if !cats["q-road"] || cats["hp-port"] || !cats["env"] {
		t.Errorf("a street's categories: %v", cats)
	}
	district := call[console.Ref](t, qu, "GET", "/api/v1/ref", nil)
	if d := depts(district); !d["JD-CG"] || !d["Q-ZJ"] || !d["HP-CG"] || len(district.Representatives) <= len(ref.Representatives) {
		t.Errorf("the district's pickers: %v, %d representatives", d, len(district.Representatives))
	}
	me := call[console.Me](t, qu, "GET", "/api/v1/me", nil)
	if me.User.Node != seed.DistrictCode || me.User.NodeName != "示范区" || me.User.Unit != "示范区人大常委会" {
		t.Errorf("the district's account: %+v", me.User)
	}
	if _, err := f.con.Accounts().Add(context.Background(), console.NewUser{Login: "nowhere", Role: "staff",
		Node: "NOPE", Password: password}); err == nil {
		t.Error("an account was bound to a node that does not exist")
	}
}

// The district's board shows both streets' totals and each street's own, which add up to
// it; drilling into a street shows its station; every figure is the stations' Tally.
func TestDistrictBoardAddsUpTheStreets(t *testing.T) {
	t.Parallel()
	f := newDistrict(t)
	qu := f.token(t, "qu")
	b := call[console.Board](t, qu, "GET", "/api/v1/board", nil)
	if b.Area.Code != seed.DistrictCode || b.Area.Level != domain.LevelDistrict || len(b.Children) != 2 ||
		b.Children[0].Name != "和谐街道" || b.Children[1].Name != "和平街道" {
		t.Fatalf("district board: %+v children %+v", b.Area, b.Children)
	}
	want := map[string]domain.Rates{}
	for _, st := range []string{seed.StationCode, seed.NeighbourStation} {
		cs, err := f.st.Cases(context.Background(), store.CaseFilter{Station: st})
		if err != nil {
			t.Fatal(err)
		}
		rules, _ := f.st.Rules(context.Background())
		want[st] = domain.ComputeRates(cs, f.clk.Now(), rules)
	}
	hx, hp := b.Children[0].Rates, b.Children[1].Rates
	if hx != want[seed.StationCode] || hp != want[seed.NeighbourStation] {
		t.Errorf("streets' figures:\n got %+v\n     %+v\nwant %+v\n     %+v", hx, hp, want[seed.StationCode], want[seed.NeighbourStation])
	}
	if hx.Submitted == 0 || hp.Submitted == 0 || b.Area.Rates.Submitted != hx.Submitted+hp.Submitted ||
		b.Area.Rates.Open != hx.Open+hp.Open || b.Area.Rates.Overdue != hx.Overdue+hp.Overdue ||
		b.Area.Rates.Closed != hx.Closed+hp.Closed || b.Area.Stations != 2 {
		t.Errorf("the district is not its streets together: %+v = %+v + %+v", b.Area.Rates, hx, hp)
	}
	if !b.Children[0].Drill || len(b.Path) != 1 || b.Path[0].Code != seed.DistrictCode {
		t.Errorf("drill-down and path: %+v %+v", b.Children[0], b.Path)
	}
	street := call[console.Board](t, qu, "GET", "/api/v1/board?node="+seed.NeighbourStreet, nil)
	if len(street.Children) != 1 || street.Children[0].Level != "station" || street.Children[0].Rates != hp ||
		street.Children[0].Drill || len(street.Path) != 2 {
		t.Errorf("drilled into 和平街道: %+v path %+v", street.Children, street.Path)
	}
	// the whole hub's admin starts at the top: the city above the district
	top := call[console.Board](t, f.token(t, "admin"), "GET", "/api/v1/board", nil)
	if top.Area.Level != "hub" || len(top.Children) != 1 || top.Children[0].Code != seed.CityCode ||
		top.Area.Rates.Submitted != b.Area.Rates.Submitted {
		t.Errorf("the whole hub's board: %+v %+v", top.Area, top.Children)
	}
}

// The monthly report of an area counts the cases of its stations only and breaks its figures
// down by the areas beneath it, which add up to it; an account reads its own area's report,
// or one beneath, never one beside or above it.
func TestMonthlyReportOfAnArea(t *testing.T) {
	t.Parallel()
	f := newDistrict(t)
	nov := time.Date(2026, 11, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	casesAt := func(stations ...string) int {
		t.Helper()
		res, err := f.st.Desk(context.Background(), store.DeskFilter{SubmittedFrom: nov, SubmittedTo: nov.AddDate(0, 1, 0),
			Stations: stations})
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Cases)
	}
	hx, hp := casesAt(seed.StationCode), casesAt(seed.NeighbourStation)
	if hx == 0 || hp == 0 {
		t.Fatalf("the demo district has no November cases in a street: %d %d", hx, hp)
	}
	const path = "/api/v1/reports/monthly?month=2026-11"

	district := call[console.Monthly](t, f.token(t, "qu"), "GET", path, nil)
	if district.Node != seed.DistrictCode || district.Area != "示范区" || district.Received != hx+hp {
		t.Fatalf("the district's report: %s %q received %d, want %d", district.Node, district.Area, district.Received, hx+hp)
	}
	if len(district.ByArea) != 2 || district.ByArea[0].Code != seed.StreetCode || district.ByArea[0].Received != hx ||
		district.ByArea[1].Code != seed.NeighbourStreet || district.ByArea[1].Received != hp {
		t.Fatalf("the district's areas: %+v", district.ByArea)
	}
	closed, overdue := 0, 0
	for _, a := range district.ByArea {
		closed, overdue = closed+a.Closed, overdue+a.Overdue
	}
	if closed != district.Closed || overdue != district.Overdue {
		t.Errorf("areas' closed %d overdue %d, the district's %d %d", closed, overdue, district.Closed, district.Overdue)
	}

	street := call[console.Monthly](t, f.token(t, "hx"), "GET", path, nil)
	if street.Node != seed.StreetCode || street.Received != hx || len(street.ByArea) != 1 ||
		street.ByArea[0].Code != seed.StationCode || street.ByArea[0].Received != hx {
		t.Fatalf("the street's report: %s received %d of %d, areas %+v", street.Node, street.Received, hx, street.ByArea)
	}
	for _, d := range street.ByDepartment {
		if strings.HasPrefix(d.Code, "HP-") {
			t.Errorf("和平街道's office in 和谐街道's report: %+v", d)
		}
	}
	drilled := call[console.Monthly](t, f.token(t, "admin"), "GET", path+"&node="+seed.NeighbourStreet, nil)
	if drilled.Area != "和平街道" || drilled.Received != hp {
		t.Errorf("the whole hub's admin drilled into 和平街道: %q %d, want %d", drilled.Area, drilled.Received, hp)
	}
	whole := call[console.Monthly](t, f.token(t, "admin"), "GET", path, nil)
	if whole.Node != "" || whole.Received != casesAt() || len(whole.ByArea) != 1 || whole.ByArea[0].Code != seed.CityCode {
		t.Errorf("the whole hub's report: received %d of %d, areas %+v", whole.Received, casesAt(), whole.ByArea)
	}
	for _, q := range []string{"&node=" + seed.DistrictCode, "&node=" + seed.NeighbourStreet, "&node=NOPE",
		"&node=" + seed.StationCode, "&node=" + strings.Repeat("街", 5000), "&node=%27%20OR%201%3D1--", "&node=%00"} {
		resp, body := f.token(t, "hx").req(t, "GET", path+q, nil, nil)
		if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != domain.CodeBadNode {
			t.Errorf("a street read the report of %s: %d %s", q, resp.StatusCode, body)
		}
	}
}

// A street's account ranks and reads the representatives of its own stations; the district's
// ranks both streets'; a record of another street's representative is refused.
func TestRecordsOfAnArea(t *testing.T) {
	t.Parallel()
	f := newDistrict(t)
	ranked := func(login string) (hx, hp int) {
		t.Helper()
		rk := call[console.RecordRanking](t, f.token(t, login), "GET", "/api/v1/record/ranking?period=2026", nil)
		for _, row := range rk.Rows {
			switch {
			case slices.Contains(row.Stations, seed.NeighbourStation):
				hp++
			case slices.Contains(row.Stations, seed.StationCode):
				hx++
			default:
				t.Errorf("%s: a representative of no street: %+v", login, row)
			}
		}
		return hx, hp
	}
	if hx, hp := ranked("hx"); hx == 0 || hp != 0 {
		t.Errorf("和谐街道's ranking: %d of its own, %d of 和平街道", hx, hp)
	}
	if hx, hp := ranked("qu"); hx == 0 || hp == 0 {
		t.Errorf("the district's ranking: %d of 和谐街道, %d of 和平街道", hx, hp)
	}
	neighbour := seed.NeighbourStation + "-R01"
	if resp, _ := f.token(t, "hx").req(t, "GET", "/api/v1/record/reps/"+neighbour+"?period=2026", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("和谐街道 read 和平街道's representative: %d", resp.StatusCode)
	}
	if resp, _ := f.token(t, "hx").req(t, "GET", "/api/v1/record/reps/"+neighbour+"/annual.pdf?year=2026", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("和谐街道 printed 和平街道's representative's 履职档案: %d", resp.StatusCode)
	}
	rec := call[console.RepRecord](t, f.token(t, "qu"), "GET", "/api/v1/record/reps/"+neighbour+"?period=2026", nil)
	if rec.Rep.ID != neighbour {
		t.Errorf("the district's view of %s: %+v", neighbour, rec.Rep)
	}
}

// A wall screen's account (display) reads its area's board and the boards beneath, nothing
// else; its session, read every half minute, outlives the 12-hour limit other sessions have,
// and still ends when the screen stops reading.
func TestDisplayAccountReadsItsBoardOnly(t *testing.T) {
	t.Parallel()
	f := newDistrict(t)
	if _, err := f.con.Accounts().Add(context.Background(), console.NewUser{Login: "hall", Name: "区大厅大屏",
		Role: store.RoleDisplay, Node: seed.DistrictCode, Password: password}); err != nil {
		t.Fatal(err)
	}
	wall, staff := f.login(t, "hall"), f.login(t, "qu")
	b := call[console.Board](t, wall, "GET", "/api/v1/board", nil)
	if b.Area.Code != seed.DistrictCode || len(b.Children) != 2 {
		t.Fatalf("the wall's board: %+v %+v", b.Area, b.Children)
	}
	if street := call[console.Board](t, wall, "GET", "/api/v1/board?node="+seed.StreetCode, nil); street.Area.Code != seed.StreetCode {
		t.Errorf("the wall drilled into 和谐街道: %+v", street.Area)
	}
	if resp, _ := wall.req(t, "GET", "/api/v1/board?node="+seed.CityCode, nil, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the district's wall read the city's board: %d", resp.StatusCode)
	}
	for _, path := range []string{"/api/v1/cases", "/api/v1/ref", "/api/v1/reports/monthly", "/api/v1/events/stream",
		"/api/v1/record/ranking", "/api/v1/cases/export.csv", "/api/v1/users"} {
		if resp, _ := wall.req(t, "GET", path, nil, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("a wall screen's account read %s: %d", path, resp.StatusCode)
		}
	}
	// nor does it write: no case action, no reference data, no account
	cs := f.newCase(t, domain.StateSubmitted, "")
	for _, w := range []struct{ method, path string }{
		{"POST", "/api/v1/cases/" + cs.ID + "/accept"},
		{"PUT", "/api/v1/admin/ref/category/x?create=1"},
		{"POST", "/api/v1/users"},
	} {
		resp, body := wall.do(t, w.method, w.path, map[string]any{"version": cs.Version})
		if resp.StatusCode != http.StatusForbidden || errorCode(t, body) != domain.CodeForbidden {
			t.Errorf("a wall screen's account: %s %s answered %d %s", w.method, w.path, resp.StatusCode, body)
		}
	}
	for _, bad := range []console.NewUser{
		{Login: "hall2", Role: store.RoleDisplay, Node: "NOPE", Password: password},
		{Login: "hall3", Role: store.RoleDisplay, Node: seed.StationCode, Password: password},
		{Login: "hall4", Role: "DISPLAY", Node: seed.DistrictCode, Password: password},
	} {
		if _, err := f.con.Accounts().Add(context.Background(), bad); err == nil {
			t.Errorf("a wall screen account was made with role %q at %q", bad.Role, bad.Node)
		}
	}
	me := call[console.Me](t, wall, "GET", "/api/v1/me", nil)
	if me.User.Role != store.RoleDisplay || me.User.Node != seed.DistrictCode {
		t.Errorf("the wall's account: %+v", me.User)
	}

	// read every half minute for a day and a half: the wall's session stays, staff's ends
	for elapsed := time.Duration(0); elapsed < 36*time.Hour; elapsed += 30 * time.Second {
		f.clk.Advance(30 * time.Second)
		if resp, _ := wall.req(t, "GET", "/api/v1/board", nil, nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("the wall's session ended after %v: %d", elapsed, resp.StatusCode)
		}
		if elapsed%(20*time.Minute) == 0 {
			staff.req(t, "GET", "/api/v1/me", nil, nil)
		}
	}
	if resp, _ := staff.req(t, "GET", "/api/v1/me", nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a staff session lived a day and a half: %d", resp.StatusCode)
	}
	if _, err := f.con.ExpireSessions(context.Background()); err != nil {
		t.Fatal(err)
	}
	if resp, _ := wall.req(t, "GET", "/api/v1/board", nil, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("housekeeping ended the wall's session: %d", resp.StatusCode)
	}
	// the screen is switched off for the night: idleness ends its session as any other
	f.clk.Advance(31 * time.Minute)
	if resp, _ := wall.req(t, "GET", "/api/v1/board", nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an idle wall session went on: %d", resp.StatusCode)
	}
}

// What a person types into an action is held to the bounds facts have: a note over
// domain.MaxNoteRunes or a reply over MaxTextRunes is refused with action_too_long and
// records nothing; at the bound it goes through.
func TestActionTextsAreBounded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.token(t, "wangzr")
	cs := f.newCase(t, domain.StateAccepted, "")
	for _, c := range []struct {
		action string
		body   map[string]any
	}{
		{"escalate", map[string]any{"note": strings.Repeat("字", domain.MaxNoteRunes+1)}},
		{"supervise", map[string]any{"note": strings.Repeat("字", domain.MaxNoteRunes+1)}},
		{"reply", map[string]any{"reply": strings.Repeat("字", domain.MaxTextRunes+1)}},
	} {
		c.body["version"] = cs.Version
		resp, body := act(t, staff, cs, c.action, c.body)
		if resp.StatusCode != http.StatusBadRequest || errorCode(t, body) != domain.CodeActionTooLong {
			t.Errorf("%s with an overlong text: %d %s", c.action, resp.StatusCode, body)
		}
	}
	if got := call[console.CaseDetail](t, staff, "GET", "/api/v1/cases/"+cs.ID, nil); got.Case.Version != cs.Version {
		t.Errorf("a refused action changed the case: version %d, was %d", got.Case.Version, cs.Version)
	}
	resp, body := act(t, staff, cs, "supervise", map[string]any{"note": strings.Repeat("字", domain.MaxNoteRunes), "version": cs.Version})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a note at the bound: %d %s", resp.StatusCode, body)
	}
}
