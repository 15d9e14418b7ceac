package refimport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/sqlitestore/enginetest"
	"liaison/sync/hub/store"
)

var admin = domain.Actor{Role: domain.RoleStaff, ID: "admin", Name: "管理员"}

func openStore(t testing.TB) *sqlitestore.Store {
	t.Helper()
	return enginetest.Open(t, t.TempDir(), sqlitestore.Options{})
}

// put records items directly, as the console's editor would.
func put(t testing.TB, st *sqlitestore.Store, kind domain.Kind, items ...any) {
	t.Helper()
	var ws []store.RefWrite
	for _, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		key, err := domain.RefKey(kind, b)
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, store.RefWrite{Kind: kind, Key: key, Data: b})
	}
	if _, err := st.PutRefs(context.Background(), ws, admin); err != nil {
		t.Fatal(err)
	}
}

// street records two stations, as an import of representatives needs.
func street(t testing.TB, st *sqlitestore.Store) {
	put(t, st, domain.KindStationUpserted,
		domain.Station{Code: "HX01", Name: "和谐街道人大代表联络站", Communities: []string{"幸福里社区", "长青社区"}},
		domain.Station{Code: "HX02", Name: "明月街道人大代表联络站", Communities: []string{"明月社区"}})
}

func xlsx(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvText(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

func anyRows(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, c := range r {
			out[i][j] = c
		}
	}
	return out
}

var repRows = [][]string{
	{"序号", "编号", "姓名", "性别", "层级", "选区", "联系社区", "职务单位", "所属联络站", "手机"},
	{"1", "HX01-R01", "张三", "男", "区", "第一选区", "幸福里社区、长青社区", "示范小学教师", "HX01", "138 0000 0000"},
	{"2", "HX01-R02", "李四", "女性", "区人大代表", "第二选区", "长青社区", "社区医生", "和谐街道人大代表联络站", ""},
	{"3", "HX02-R01", "王五", "男", "市", "联合选区", "明月社区", "工程师", "HX02", ""},
}

func run(t *testing.T, st Store, kind Kind, file []byte, dry bool) *Report {
	t.Helper()
	rep, err := New(st, nil).Run(context.Background(), kind, bytes.NewReader(file), dry, admin)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func lastSeq(t *testing.T, st *sqlitestore.Store) int64 {
	t.Helper()
	n, err := st.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func counts(r *Report) string {
	return fmt.Sprintf("created %d updated %d unchanged %d problems %v", r.Created, r.Updated, r.Same, r.Problems)
}

// The same representatives come in from a workbook and from CSV in every encoding; a dry run
// writes nothing, a second import changes nothing.
func TestImportRepresentativesFromEveryFormat(t *testing.T) {
	t.Parallel()
	files := encodings(t, csvText(repRows))
	files["xlsx"] = xlsx(t, anyRows(repRows))
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := openStore(t)
			street(t, st)
			before := lastSeq(t, st)
			dry := run(t, st, Representatives, file, true)
			if got := counts(dry); got != "created 3 updated 0 unchanged 0 problems []" || dry.Written {
				t.Fatalf("dry run: %s, written %v", got, dry.Written)
			}
			if lastSeq(t, st) != before {
				t.Fatal("a dry run wrote")
			}
			if !slices.Equal(dry.Ignored, []string{"序号"}) {
				t.Errorf("ignored %q, want 序号", dry.Ignored)
			}
			if got := counts(run(t, st, Representatives, file, false)); got != "created 3 updated 0 unchanged 0 problems []" {
				t.Fatalf("import: %s", got)
			}
			after := lastSeq(t, st)
			if after != before+3 {
				t.Errorf("log grew by %d, want 3", after-before)
			}
			again := run(t, st, Representatives, file, false)
			if got := counts(again); got != "created 0 updated 0 unchanged 3 problems []" || !again.Written {
				t.Fatalf("re-import: %s", got)
			}
			if lastSeq(t, st) != after {
				t.Error("a re-import of the same file appended events")
			}
			raw, err := st.RefItem(context.Background(), domain.KindRepresentativeUpserted, "HX01-R02")
			if err != nil {
				t.Fatal(err)
			}
			var r domain.Representative
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			if r.Gender != "女" || r.Level != "区人大代表" || !slices.Equal(r.Stations, []string{"HX01"}) {
				t.Errorf("stored %+v: gender, level or station by name not read", r)
			}
		})
	}
}

// One bad row refuses the whole file: every bad row is listed by the number a spreadsheet
// shows, with its column, and nothing is recorded.
func TestBadFileIsRefusedWholeWithItsRows(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	street(t, st)
	rows := [][]any{
		{"和谐街道人大代表名册（虚构数据）"},
		{"编号", "姓名", "层级", "联系社区", "所属联络站"},
		{"HX01-R01", "张三", "区", "幸福里社区", "HX01"},
		{"HX01-R02", "李四", "区", "幸福里社区", "HX09"},
		{},
		{"HX01-R03", "", "区", "", "HX01"},
		{"HX01-R01", "张三", "区", "", "HX01"},
		{"HX01-R04", "赵六", "村", "", "HX01"},
		{"HX01-R05", "钱七", "区", "明月社区", "HX01"},
		{"HX01-R06", "孙八", "区", "长青社区", "HX01"},
	}
	before := lastSeq(t, st)
	rep := run(t, st, Representatives, xlsx(t, rows), false)
	type where struct {
		row          int
		column, code string
	}
	var got []where
	for _, p := range rep.Problems {
		got = append(got, where{p.Row, p.Column, p.Code})
	}
	want := []where{
		{4, "所属联络站", domain.CodeImportStationUnknown},
		{6, "姓名", domain.CodeImportValueRequired},
		{7, "编号", domain.CodeImportRowRepeated},
		{8, "层级", domain.CodeFieldNotIn},
		{9, "联系社区", domain.CodeRefDangling},
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n got %v\nwant %v", got, want)
	}
	if !rep.Refused() || rep.Written || rep.Created != 0 {
		t.Errorf("refused %v written %v created %d", rep.Refused(), rep.Written, rep.Created)
	}
	if lastSeq(t, st) != before {
		t.Error("a refused file wrote")
	}
	if reps, _ := st.RefData(context.Background(), domain.KindRepresentativeUpserted, ""); len(reps) != 0 {
		t.Errorf("%d representatives recorded from a refused file", len(reps))
	}
	for _, p := range rep.Problems {
		if msg := Describe("zh-CN", p); !strings.Contains(msg, "第 ") || strings.Contains(msg, "{") {
			t.Errorf("problem worded %q", msg)
		}
	}
	if s := Summary("zh-CN", rep); !strings.Contains(s, "5") {
		t.Errorf("summary %q does not count the problems", s)
	}
	// The good rows still show what they would do.
	if rep.Rows[0].Row != 3 || rep.Rows[0].Action != Create || rep.Rows[1].Action != "" {
		t.Errorf("rows %+v", rep.Rows[:2])
	}
}

func TestFileProblems(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	tests := []struct {
		name string
		file []byte
		code string
	}{
		{"no header", []byte("甲,乙\n1,2\n"), domain.CodeImportHeaderMissing},
		{"header only", []byte("编码,名称\n"), domain.CodeImportNoRows},
		{"not a spreadsheet", append([]byte("PK\x03\x04"), make([]byte, 64)...), domain.CodeImportFileUnreadable},
	}
	for _, tt := range tests {
		rep := run(t, st, Departments, tt.file, false)
		if len(rep.Problems) != 1 || rep.Problems[0].Code != tt.code || rep.Problems[0].Row != 0 {
			t.Errorf("%s: problems %v, want %s", tt.name, rep.Problems, tt.code)
		}
	}
	rep := run(t, st, Departments, []byte("编码,名称,名称\nQ-ZJ,区住建局,x\n"), false)
	if len(rep.Problems) != 1 || rep.Problems[0].Code != domain.CodeImportColumnDuplicate || rep.Problems[0].Row != 1 {
		t.Errorf("duplicate column: %v", rep.Problems)
	}
}

// Columns a file does not have, and what no spreadsheet carries (the photo, the retired
// mark), keep the hub's values; a changed cell updates the item.
func TestReimportUpdatesOnlyWhatTheFileSays(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	street(t, st)
	put(t, st, domain.KindRepresentativeUpserted, domain.Representative{ID: "HX01-R01", Name: "张三", Gender: "男",
		Level: "区", Communities: []string{"幸福里社区"}, Stations: []string{"HX01"}, Title: "教师",
		Profile: "简介原文", Photo: "/media/reps/HX01-R01.jpg?v=1", PhotoSeed: 7, Retired: true})
	file := []byte(csvText([][]string{{"编号", "姓名", "职务单位"}, {"HX01-R01", "张三", "示范小学校长"}}))
	if got := counts(run(t, st, Representatives, file, false)); got != "created 0 updated 1 unchanged 0 problems []" {
		t.Fatal(got)
	}
	raw, _ := st.RefItem(context.Background(), domain.KindRepresentativeUpserted, "HX01-R01")
	var r domain.Representative
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if r.Title != "示范小学校长" || r.Profile != "简介原文" || r.Photo == "" || r.PhotoSeed != 7 || !r.Retired || r.Gender != "男" {
		t.Errorf("after re-import: %+v", r)
	}
}

func TestStationsAndDepartments(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	stations := []byte(csvText([][]string{
		{"编码", "名称", "地址", "服务社区", "开放时间"},
		{"ＨＸ０１", "和谐街道人大代表联络站", "示范路1号", "幸福里社区，长青社区", "周一至周五 9:00-17:00"},
		{"HX02", "明月街道人大代表联络站", "", "明月社区", ""},
	}))
	if got := counts(run(t, st, Stations, stations, false)); got != "created 2 updated 0 unchanged 0 problems []" {
		t.Fatal(got)
	}
	s, err := st.Station(context.Background(), "HX01")
	if err != nil || !slices.Equal(s.Communities, []string{"幸福里社区", "长青社区"}) || s.Hours == "" {
		t.Errorf("station HX01 %+v, %v", s, err)
	}
	depts := [][]string{{"编码", "名称", "联系人", "联系电话"}, {"Q-ZJ", "区住建局", "李四", "010-12345678"}}
	if got := counts(run(t, st, Departments, []byte(csvText(depts)), false)); got != "created 1 updated 0 unchanged 0 problems []" {
		t.Fatal(got)
	}
	depts[1][2] = "王五"
	if got := counts(run(t, st, Departments, []byte(csvText(depts)), false)); got != "created 0 updated 1 unchanged 0 problems []" {
		t.Fatal(got)
	}
}

// rosterStreet has stations, and representatives two of whom share a name.
func rosterStreet(t *testing.T) *sqlitestore.Store {
	st := openStore(t)
	street(t, st)
	rep := func(id, name, station string, retired bool) domain.Representative {
		return domain.Representative{ID: id, Name: name, Gender: "男", Level: "区", Communities: []string{},
			Stations: []string{station}, Retired: retired}
	}
	put(t, st, domain.KindRepresentativeUpserted,
		rep("HX01-R01", "张三", "HX01", false), rep("HX01-R02", "李四", "HX01", false),
		rep("HX02-R01", "张三", "HX02", false), rep("HX02-R02", "王五", "HX02", false),
		rep("HX02-R03", "赵六", "HX02", true))
	return st
}

func TestDutyRoster(t *testing.T) {
	t.Parallel()
	st := rosterStreet(t)
	rows := [][]any{
		{"日期", "联络站", "值班代表", "开始", "结束"},
		{46363, "HX01", "张三", 0.375, 0.7083333333333334}, // a date and times as a spreadsheet stores them
		{"2026-12-07", "和谐街道人大代表联络站", "HX01-R02", "9:00", "17:00"},
		{"2026/12/8", "HX02", "张三、王五", "9:00", "11:30"},
	}
	if got := counts(run(t, st, DutyRoster, xlsx(t, rows), false)); got != "created 2 updated 0 unchanged 0 problems []" {
		t.Fatal(got)
	}
	raw, err := st.RefItem(context.Background(), domain.KindDutyRosterUpserted, "HX01:2026-12-07")
	if err != nil {
		t.Fatal(err)
	}
	var d domain.DutyShift
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.RepIDs, []string{"HX01-R01", "HX01-R02"}) || d.Starts.UTC().Format("15:04") != "01:00" ||
		d.Ends.UTC().Format("15:04") != "09:00" {
		t.Errorf("shift %+v: rows of one day not merged, or times not China time", d)
	}
	raw, _ = st.RefItem(context.Background(), domain.KindDutyRosterUpserted, "HX02:2026-12-08")
	if !strings.Contains(string(raw), `"HX02-R01","HX02-R02"`) {
		t.Errorf("张三 at HX02 is not HX02-R01: %s", raw)
	}
	if got := counts(run(t, st, DutyRoster, xlsx(t, rows), false)); got != "created 0 updated 0 unchanged 2 problems []" {
		t.Errorf("re-import: %s", got)
	}
}

func TestDutyRosterProblems(t *testing.T) {
	t.Parallel()
	st := rosterStreet(t)
	file := csvText([][]string{
		{"日期", "联络站", "值班代表", "开始", "结束"},
		{"2026-12-07", "HX01", "李四", "9:00", "17:00"},
		{"2026-12-07", "HX01", "HX01-R01", "9:00", "12:00"},
		{"2026-12-08", "HX09", "李四", "9:00", "17:00"},
		{"2026-12-09", "HX01", "陈七", "下午", "17:00"},
		{"12月10日", "HX01", "李四", "17:00", "9:00"},
		{"2026-12-11", "HX01", "李四", "17:00", "9:00"},
		{"2026-12-12", "HX01", "张三、HX02-R03", "9:00", "17:00"},
	})
	// 张三 at HX01 is HX01-R01 although HX02 has one too; a third 张三 makes it ambiguous.
	put(t, st, domain.KindRepresentativeUpserted, domain.Representative{ID: "HX01-R09", Name: "张三", Gender: "男",
		Level: "区", Communities: []string{}, Stations: []string{"HX01"}})
	rep := run(t, st, DutyRoster, []byte(file), true)
	var got []string
	for _, p := range rep.Problems {
		got = append(got, fmt.Sprintf("%d %s %s", p.Row, p.Column, p.Code))
	}
	want := []string{
		"3 开始 " + domain.CodeImportDutyConflict,
		"4 联络站 " + domain.CodeImportStationUnknown,
		"5 值班代表 " + domain.CodeImportRepUnknown,
		"5 开始 " + domain.CodeImportTimeInvalid,
		"6 日期 " + domain.CodeImportDateInvalid,
		"6 结束 " + domain.CodeImportTimeOrder,
		"7 结束 " + domain.CodeImportTimeOrder,
		"8 值班代表 " + domain.CodeImportRepAmbiguous,
		"8 值班代表 " + domain.CodeImportRepRetired,
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems\n got %q\nwant %q", got, want)
	}
}

// racing creates an item between the import's check and its write, as a second admin might.
type racing struct {
	*sqlitestore.Store
	t *testing.T
}

func (r racing) PutRefs(ctx context.Context, ws []store.RefWrite, actor domain.Actor) (store.RefResult, error) {
	put(r.t, r.Store, domain.KindDepartmentUpserted, domain.Department{Code: "Q-JT", Name: "区交通局"})
	return r.Store.PutRefs(ctx, ws, actor)
}

// What the store refuses is reported on the rows it came from, and nothing is written.
func TestStoreRefusalIsMappedToRows(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	file := csvText([][]string{{"编码", "名称"}, {"Q-ZJ", "区住建局"}, {"Q-JT", "区交通局（新）"}})
	rep := run(t, racing{st, t}, Departments, []byte(file), false)
	if len(rep.Problems) != 1 || rep.Problems[0].Row != 3 || rep.Problems[0].Code != domain.CodeRefDuplicate ||
		rep.Problems[0].Column != "编码" || rep.Written {
		t.Errorf("problems %v, written %v", rep.Problems, rep.Written)
	}
	if _, err := st.RefItem(context.Background(), domain.KindDepartmentUpserted, "Q-ZJ"); err == nil {
		t.Error("Q-ZJ recorded from a refused file")
	}
}

// Each template, filled with nothing but its example row, imports: the template and the
// importer agree on the columns and the example is valid.
func TestTemplatesImport(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			var st *sqlitestore.Store
			switch k {
			case Representatives:
				st = openStore(t)
				street(t, st)
			case DutyRoster:
				st = rosterStreet(t)
			default:
				st = openStore(t)
			}
			var buf bytes.Buffer
			if err := Template(&buf, k); err != nil {
				t.Fatal(err)
			}
			rep := run(t, st, k, buf.Bytes(), true)
			if rep.Refused() || rep.Created != 1 || len(rep.Ignored) != 0 {
				t.Errorf("%s", counts(rep))
			}
		})
	}
}

// A workbook's data may be on any sheet, below a title: the first sheet whose top rows hold
// the kind's header is read, and its rows keep their numbers.
func TestWorkbookSheetWithTheHeader(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "说明"))
	must(f.SetCellStr("说明", "A1", "本表为虚构数据"))
	_, err := f.NewSheet("承办单位")
	must(err)
	must(f.SetCellStr("承办单位", "A1", "承办单位名单"))
	must(f.SetSheetRow("承办单位", "A3", &[]any{"单位编码", "单位名称*"}))
	must(f.SetSheetRow("承办单位", "A4", &[]any{"Q-ZJ", "区住建局"}))
	must(f.SetSheetRow("承办单位", "A6", &[]any{"Q-JT", ""}))
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	must(err)
	rep := run(t, openStore(t), Departments, buf.Bytes(), true)
	if len(rep.Problems) != 1 || rep.Problems[0].Row != 6 || rep.Problems[0].Column != "单位名称*" {
		t.Errorf("problems %v", rep.Problems)
	}
	if len(rep.Rows) != 2 || rep.Rows[0].Row != 4 || rep.Rows[0].Action != Create {
		t.Errorf("rows %+v", rep.Rows)
	}
}
