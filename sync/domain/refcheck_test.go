package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func refJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// codesOf lists "field:code" of each problem.
func codesOf(ps []FieldProblem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Field+":"+p.Code)
	}
	return out
}

func TestCheckRefGoodItems(t *testing.T) {
	t.Parallel()
	starts := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC) // 09:00 in China
	items := map[Kind]any{
		KindOrgNodeUpserted: OrgNode{Code: "S-HX", Name: "和谐街道", Level: LevelStreet, Parent: "D-SF"},
		KindStationUpserted: Station{Code: "HX01", Name: "和谐街道人大代表联络站", Address: "示范路1号",
			Communities: []string{"幸福里社区", "长青社区"}, Hours: "周一至周五 9:00-17:00", Node: "S-HX"},
		KindCommunityUpserted: Community{Code: "XFL", Name: "幸福里社区", Station: "HX01"},
		KindRepresentativeUpserted: Representative{ID: "HX01-R01", Name: "张三", Gender: "男", Level: "区人大代表",
			Stations: []string{"HX01"}, Communities: []string{"幸福里社区"}, Phone: "13800138000",
			Photo: "/media/reps/HX01-R01.jpg?v=ab12"},
		KindDepartmentUpserted: Department{Code: "JD-CG", Name: "街道城管科", Contact: "李四", Phone: "010-12345678"},
		KindCategoryUpserted: Category{Code: "env", Name: "环境卫生", Icon: "leaf", Templates: []string{"垃圾清运不及时"},
			AcceptHours: 24, HandleDays: 5},
		KindActivityUpserted: Activity{ID: "HX01-A01", Station: "HX01", Title: "代表接待选民日", Kind: "接待日",
			Place: "接待室", Starts: starts, Ends: starts.Add(3 * time.Hour), Capacity: 2,
			SignUpOpens: starts.Add(-72 * time.Hour), SignUpCloses: starts.Add(-time.Hour),
			Invited: []string{"HX01-R01", "HX01-R02"}},
		KindProjectUpserted: Project{ID: "HX01-P01", Station: "HX01", Name: "加装电梯", Progress: 100,
			Milestones: []Milestone{{Title: "竣工", Due: starts, Done: true}}},
		KindDutyRosterUpserted: DutyShift{Station: "HX01", Day: "2026-12-07", RepIDs: []string{"HX01-R01"},
			Starts: starts, Ends: starts.Add(8 * time.Hour)},
		KindWordListUpserted: WordList{Name: WordsSensitive, Words: []string{"示例词"}},
		KindCalendarUpserted: CalendarYear{Year: 2027, Holidays: []CalendarDay{{Date: "2027-10-01", Name: "国庆节"}},
			Workdays: []CalendarDay{{Date: "2027-09-26", Name: "国庆节调休"}}},
		KindDeptRankingUpserted: DeptRanking{ID: "PY-2026-11", Title: "2026年11月承办单位工作评议", Period: "2026年11月",
			From: "2026-11-01", To: "2026-11-30", Held: "2026-12-04", Published: starts,
			Rows: []RankingRow{{Rank: 1, DeptCode: "JD-CG", DeptName: "街道城管科", Score: 92.5, Grade: "满意",
				Received: 4, AcceptedOnTime: 4, HandledOnTime: 3, Rated: 2, AvgRating: new(2.5)}}},
	}
	for _, rk := range RefKinds {
		v, ok := items[rk.Kind]
		if !ok {
			t.Fatalf("no good %s item in the test", rk.Kind)
		}
		if ps := CheckRef(rk.Kind, refJSON(t, v)); len(ps) != 0 {
			t.Errorf("%s: %v", rk.Name, codesOf(ps))
		}
		if _, err := RefKey(rk.Kind, refJSON(t, v)); err != nil {
			t.Errorf("%s: key: %v", rk.Name, err)
		}
	}
}

func TestCheckRefProblems(t *testing.T) {
	t.Parallel()
	starts := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		kind Kind
		item any
		want []string
	}{
		{"station code lower case", KindStationUpserted, Station{Code: "hx01", Name: "站"}, []string{"code:field_bad_station"}},
		{"station without name", KindStationUpserted, Station{Code: "HX01"}, []string{"name:field_required"}},
		{"station name too long", KindStationUpserted, Station{Code: "HX01", Name: strings.Repeat("站", 65)},
			[]string{"name:field_too_long"}},
		{"community listed twice", KindStationUpserted, Station{Code: "HX01", Name: "站", Communities: []string{"甲", "甲"}},
			[]string{"communities:field_repeated"}},
		{"control character", KindDepartmentUpserted, Department{Code: "D1", Name: "城管\x07科"}, []string{"name:field_bad_text"}},
		{"department code with space", KindDepartmentUpserted, Department{Code: "JD CG", Name: "城管"}, []string{"code:field_bad_code"}},
		{"department phone", KindDepartmentUpserted, Department{Code: "D1", Name: "城管", Phone: "call me"}, []string{"phone:field_bad_phone"}},
		{"rep level", KindRepresentativeUpserted, Representative{ID: "R1", Name: "张三", Level: "村"}, []string{"level:field_not_in_set"}},
		{"rep without level", KindRepresentativeUpserted, Representative{ID: "R1", Name: "张三"}, []string{"level:field_required"}},
		{"rep gender", KindRepresentativeUpserted, Representative{ID: "R1", Name: "张三", Level: "区", Gender: "M"},
			[]string{"gender:field_not_in_set"}},
		{"rep station", KindRepresentativeUpserted, Representative{ID: "R1", Name: "张三", Level: "镇", Stations: []string{"hx"}},
			[]string{"stations[0]:field_bad_station"}},
		{"rep photo elsewhere", KindRepresentativeUpserted, Representative{ID: "R1", Name: "张三", Level: "省",
			Photo: "https://example.com/a.jpg"}, []string{"photo:field_bad_code"}},
		{"accept hours", KindCategoryUpserted, Category{Code: "env", Name: "环境", AcceptHours: 721}, []string{"accept_hours:field_out_of_range"}},
		{"handle days", KindCategoryUpserted, Category{Code: "env", Name: "环境", HandleDays: -1}, []string{"handle_days:field_out_of_range"}},
		{"handle days too many", KindCategoryUpserted, Category{Code: "env", Name: "环境", HandleDays: 366}, []string{"handle_days:field_out_of_range"}},
		{"capacity", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日", Place: "室",
			Starts: starts, Ends: starts.Add(time.Hour)}, []string{"capacity:field_out_of_range"}},
		{"invited not a code, and twice", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日", Place: "室",
			Starts: starts, Ends: starts.Add(time.Hour), Capacity: 5, Invited: []string{"HX01-R01", "代表 张三", "HX01-R01"}},
			[]string{"invited:field_repeated", "invited[1]:field_bad_code"}},
		{"capacity too large", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日", Place: "室",
			Starts: starts, Ends: starts.Add(time.Hour), Capacity: 10001}, []string{"capacity:field_out_of_range"}},
		{"ends before starts", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日", Place: "室",
			Starts: starts, Ends: starts, Capacity: 5}, []string{"ends:ref_ends_before_starts"}},
		{"sign-up opens after start", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日",
			Place: "室", Starts: starts, Ends: starts.Add(time.Hour), Capacity: 5, SignUpOpens: starts.Add(time.Minute)},
			[]string{"signup_opens:ref_signup_window"}},
		{"sign-up closes after end", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日",
			Place: "室", Starts: starts, Ends: starts.Add(time.Hour), Capacity: 5, SignUpCloses: starts.Add(2 * time.Hour)},
			[]string{"signup_closes:ref_signup_window"}},
		{"sign-up closes before it opens", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日",
			Place: "室", Starts: starts, Ends: starts.Add(time.Hour), Capacity: 5, SignUpOpens: starts.Add(-time.Hour),
			SignUpCloses: starts.Add(-2 * time.Hour)}, []string{"signup_opens:ref_signup_window"}},
		{"activity without times", KindActivityUpserted, Activity{ID: "A1", Station: "HX01", Title: "接待", Kind: "接待日",
			Place: "室", Capacity: 5}, []string{"starts:field_required", "ends:field_required"}},
		{"progress", KindProjectUpserted, Project{ID: "P1", Station: "HX01", Name: "电梯", Progress: 101}, []string{"progress:field_out_of_range"}},
		{"milestone", KindProjectUpserted, Project{ID: "P1", Station: "HX01", Name: "电梯", Milestones: []Milestone{{}}},
			[]string{"milestones[0].title:field_required", "milestones[0].due:field_required"}},
		{"duty day", KindDutyRosterUpserted, DutyShift{Station: "HX01", Day: "2026-12-7", Starts: starts, Ends: starts.Add(time.Hour)},
			[]string{"day:field_bad_date"}},
		{"duty on another day", KindDutyRosterUpserted, DutyShift{Station: "HX01", Day: "2026-12-08", Starts: starts,
			Ends: starts.Add(time.Hour)}, []string{"starts:ref_day_mismatch"}},
		{"duty rep twice", KindDutyRosterUpserted, DutyShift{Station: "HX01", Day: "2026-12-07", RepIDs: []string{"R1", "R1"},
			Starts: starts, Ends: starts.Add(time.Hour)}, []string{"rep_ids:field_repeated"}},
		{"word list name", KindWordListUpserted, WordList{Name: "other"}, []string{"name:field_not_in_set"}},
		{"empty word", KindWordListUpserted, WordList{Name: WordsHotStop, Words: []string{" "}}, []string{"words[0]:field_required"}},
		{"calendar year", KindCalendarUpserted, CalendarYear{Year: 1999}, []string{"year:field_out_of_range"}},
		{"calendar", KindCalendarUpserted, CalendarYear{Year: 2027,
			Holidays: []CalendarDay{{Date: "2028-01-01", Name: "元旦"}, {Date: "2027-09-25", Name: "假"}},
			Workdays: []CalendarDay{{Date: "2027-09-28", Name: "调休"}, {Date: "2027-09-25", Name: "调休"}}},
			[]string{"holidays[0].date:ref_date_other_year", "workdays[0].date:ref_workday_not_weekend",
				"workdays[1].date:ref_holiday_and_workday"}},
		{"ranking", KindDeptRankingUpserted, DeptRanking{ID: "PY1", Title: "评议", Period: "2026年11月", From: "2026-11-30",
			To: "2026-11-01", Held: "2026-12-04", Published: starts, Rows: []RankingRow{
				{Rank: 1, DeptCode: "D1", DeptName: "城管", Score: 100.5, Received: 2, HandledOnTime: 3},
				{Rank: 1, DeptCode: "D1", DeptName: "城管", Grade: "优", Rated: 1, Unsatisfied: 2, AvgRating: new(0.5)},
			}}, []string{"to:ref_ends_before_starts", "rows[0].score:field_out_of_range",
			"rows[0].handled_on_time:field_out_of_range", "rows[1].grade:field_not_in_set",
			"rows[1].rated:field_out_of_range", "rows[1].unsatisfied:field_out_of_range",
			"rows[1].avg_rating:field_out_of_range", "rows:field_repeated"}},
	}
	for _, tc := range tests {
		got := codesOf(CheckRef(tc.kind, refJSON(t, tc.item)))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := codesOf(CheckRef(KindStationUpserted, []byte(`{"code":"HX01","name":"站","colour":"red"}`))); !slices.Equal(got, []string{":ref_bad_item"}) {
		t.Errorf("unknown field: %v", got)
	}
	if got := codesOf(CheckRef(KindBadgeRevoked, []byte(`{}`))); !slices.Equal(got, []string{":ref_unknown_kind"}) {
		t.Errorf("not a reference kind an admin writes: %v", got)
	}
}

func TestRefKeyScopeAndRetired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind         Kind
		data         string
		key, scope   string
		retired, bad bool
	}{
		{KindStationUpserted, `{"code":"HX01","retired":true}`, "HX01", "HX01", true, false},
		{KindRepresentativeUpserted, `{"id":"HX01-R01","stations":["HX01"]}`, "HX01-R01", "HX01", false, false},
		{KindRepresentativeUpserted, `{"id":"R9","stations":["HX01","HX02"]}`, "R9", "", false, false},
		{KindDepartmentUpserted, `{"code":"JD-CG"}`, "JD-CG", "", false, false},
		{KindActivityUpserted, `{"id":"A1","station":"HX02","cancelled":true}`, "A1", "HX02", true, false},
		{KindDutyRosterUpserted, `{"station":"HX01","day":"2026-12-07"}`, "HX01:2026-12-07", "HX01", false, false},
		{KindWordListUpserted, `{"name":"sensitive"}`, "sensitive", "", false, false},
		{KindCalendarUpserted, `{"year":2027}`, "2027", "", false, false},
		{KindCommunityUpserted, `{"code":"C1","station":"HX03"}`, "C1", "HX03", false, false},
		{KindDutyRosterUpserted, `{"day":"2026-12-07"}`, "", "", false, true},
		{KindCategoryUpserted, `[1]`, "", "", false, true},
	}
	for _, tc := range tests {
		key, err := RefKey(tc.kind, []byte(tc.data))
		if tc.bad != (err != nil) || key != tc.key {
			t.Errorf("%s %s: key %q, %v", tc.kind, tc.data, key, err)
		}
		if tc.bad {
			continue
		}
		if s := RefScope(tc.kind, []byte(tc.data)); s != tc.scope {
			t.Errorf("%s %s: scope %q, want %q", tc.kind, tc.data, s, tc.scope)
		}
		if r := RefRetired(tc.kind, []byte(tc.data)); r != tc.retired {
			t.Errorf("%s %s: retired %v", tc.kind, tc.data, r)
		}
	}
	for _, rk := range RefKinds {
		if k, ok := LookupRefKind(rk.Name); !ok || k.Kind != rk.Kind {
			t.Errorf("lookup %s: %v", rk.Name, k)
		}
		if _, ok := LookupRefKind(string(rk.Kind)); !ok {
			t.Errorf("lookup %s", rk.Kind)
		}
	}
}

func TestRepLevel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"区": "区", "区人大代表": "区", "乡镇人大代表": "镇", "全国人大代表": "全国"} {
		if got, ok := RepLevel(in); !ok || got != want {
			t.Errorf("%s: %q %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "人大代表", "村", "区代表"} {
		if _, ok := RepLevel(in); ok {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestRefNormalizeEqual(t *testing.T) {
	t.Parallel()
	a := []byte(`{"name":"城管","code":"D1"}`)
	b := []byte(`{ "code": "D1", "name": "城管" }`)
	if !RefEqual(KindDepartmentUpserted, a, b) {
		t.Error("same department in another order is not equal")
	}
	if RefEqual(KindDepartmentUpserted, a, []byte(`{"code":"D1","name":"城管","retired":true}`)) {
		t.Error("a retired department equals the active one")
	}
}

func TestCheckRefOrgNode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		node OrgNode
		want []string
	}{
		{OrgNode{Code: "QX", Name: "示范区", Level: LevelDistrict}, nil},
		{OrgNode{Code: "QX", Name: "示范区", Level: "county"}, []string{"level:" + CodeFieldNotIn}},
		{OrgNode{Code: "QX", Name: "示范区"}, []string{"level:" + CodeFieldRequired}},
		{OrgNode{Code: "QX", Name: "示范区", Level: LevelDistrict, Parent: "QX"}, []string{"parent:" + CodeRefOrgParent}},
		{OrgNode{Code: "QX", Name: "示范区", Level: LevelDistrict, Parent: "市 本级"}, []string{"parent:" + CodeFieldBadCode}},
		{OrgNode{Code: "QX", Level: LevelDistrict}, []string{"name:" + CodeFieldRequired}},
	} {
		if got := codesOf(CheckRef(KindOrgNodeUpserted, refJSON(t, tc.node))); !slices.Equal(got, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.node, got, tc.want)
		}
	}
	st := Station{Code: "HX01", Name: "站", Node: "bad code"}
	if got := codesOf(CheckRef(KindStationUpserted, refJSON(t, st))); !slices.Equal(got, []string{"node:" + CodeFieldBadCode}) {
		t.Errorf("station with a bad node: %v", got)
	}
}
