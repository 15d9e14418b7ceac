package refimport

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"liaison/sync/domain"
)

// Kind is what a file holds: one of Kinds.
type Kind string

// The kinds of reference data a spreadsheet can bring in, by the short names of the console's
// reference API.
const (
	Representatives Kind = "representative"
	Departments     Kind = "department"
	Stations        Kind = "station"
	DutyRoster      Kind = "duty_roster"
)

// Kinds lists the importable kinds in the order a street sets them up: stations first, as
// representatives and the roster name them.
var Kinds = []Kind{Stations, Departments, Representatives, DutyRoster}

// ParseKind accepts a kind's short name, its reference kind (ref.station) or a plural.
func ParseKind(s string) (Kind, bool) {
	s = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "ref.")
	switch s {
	case "representative", "representatives", "rep", "reps":
		return Representatives, true
	case "department", "departments", "dept":
		return Departments, true
	case "station", "stations":
		return Stations, true
	case "duty_roster", "duty", "roster":
		return DutyRoster, true
	}
	return "", false
}

// refKind is the reference kind a Kind's items are recorded as.
func (k Kind) refKind() domain.Kind {
	switch k {
	case Representatives:
		return domain.KindRepresentativeUpserted
	case Departments:
		return domain.KindDepartmentUpserted
	case Stations:
		return domain.KindStationUpserted
	default:
		return domain.KindDutyRosterUpserted
	}
}

// Column is one column of a kind's spreadsheet.
type Column struct {
	Field    string   // the item's JSON field it fills
	Header   string   // the header the template writes
	Aliases  []string // other headers offices use for it
	Required bool     // the column must be there, and filled in every row
	List     bool     // several values separated by 、 ， , ; or ；
	Note     string   // how to fill it, for the template's notes sheet
	Example  string   // the template's example cell, synthetic
}

// Columns are the columns of each kind, in the template's order.
var Columns = map[Kind][]Column{
	Representatives: {
		{Field: "id", Header: "编号", Aliases: []string{"代表编号", "id"}, Required: true,
			Note: "代表的唯一编号，如 HX01-R01；再次导入时按编号更新", Example: "HX01-R01"},
		{Field: "name", Header: "姓名", Aliases: []string{"代表姓名"}, Required: true,
			Note: "代表姓名", Example: "张三"},
		{Field: "gender", Header: "性别", Note: "男 或 女", Example: "男"},
		{Field: "level", Header: "层级", Aliases: []string{"代表层级", "级别", "代表级别"},
			Note: "全国、省、市、区 或 镇（也可写“区人大代表”）", Example: "区"},
		{Field: "constituency", Header: "选区", Aliases: []string{"所在选区"}, Note: "所在选区", Example: "第一选区"},
		{Field: "communities", Header: "联系社区", Aliases: []string{"社区"}, List: true,
			Note: "选区内的社区，多个用、分隔", Example: "幸福里社区、长青社区"},
		{Field: "title", Header: "职务单位", Aliases: []string{"工作单位及职务", "单位职务", "工作单位", "职务"},
			Note: "工作单位及职务，公开显示", Example: "示范小学教师"},
		{Field: "stations", Header: "所属联络站", Aliases: []string{"联络站", "进站"}, List: true,
			Note: "联络站编码或名称，多个用、分隔；联络站须已建立", Example: "HX01"},
		{Field: "profile", Header: "简介", Aliases: []string{"个人简介", "代表简介"}, Note: "公开显示的简介，可不填", Example: "长期关注社区教育。"},
		{Field: "phone", Header: "手机", Aliases: []string{"手机号", "手机号码"}, Note: "用于通知，不公开显示，可不填", Example: "13800000000"},
	},
	Departments: {
		{Field: "code", Header: "编码", Aliases: []string{"单位编码", "代码"}, Required: true,
			Note: "承办单位的唯一编码，如 Q-ZJ；再次导入时按编码更新", Example: "Q-ZJ"},
		{Field: "name", Header: "名称", Aliases: []string{"单位名称", "承办单位"}, Required: true, Note: "承办单位名称", Example: "区住建局"},
		{Field: "contact", Header: "联系人", Note: "可不填", Example: "李四"},
		{Field: "phone", Header: "联系电话", Aliases: []string{"电话"}, Note: "联系人的办公电话，可不填", Example: "010-12345678"},
	},
	Stations: {
		{Field: "code", Header: "编码", Aliases: []string{"联络站编码", "站点编码", "代码"}, Required: true,
			Note: "联络站的唯一编码，如 HX01；再次导入时按编码更新", Example: "HX01"},
		{Field: "name", Header: "名称", Aliases: []string{"联络站名称", "站点名称"}, Required: true,
			Note: "联络站名称", Example: "和谐街道人大代表联络站"},
		{Field: "address", Header: "地址", Note: "联络站地址", Example: "和谐街道示范路1号"},
		{Field: "communities", Header: "服务社区", Aliases: []string{"社区"}, List: true,
			Note: "联络站服务的社区，多个用、分隔", Example: "幸福里社区、长青社区"},
		{Field: "hours", Header: "开放时间", Note: "按显示的样子填写，可不填", Example: "周一至周五 9:00-17:00"},
	},
	DutyRoster: {
		{Field: "day", Header: "日期", Aliases: []string{"值班日期"}, Required: true,
			Note: "值班日期，如 2026-12-07", Example: "2026-12-07"},
		{Field: "station", Header: "联络站", Aliases: []string{"联络站编码", "站点"}, Required: true,
			Note: "联络站编码或名称", Example: "HX01"},
		{Field: "rep_ids", Header: "值班代表", Aliases: []string{"代表"}, Required: true, List: true,
			Note: "代表的姓名或编号，多个用、分隔；同一联络站同一天的多行合并为一班", Example: "张三、HX01-R02"},
		{Field: "starts", Header: "开始", Aliases: []string{"开始时间"}, Required: true, Note: "如 9:00", Example: "9:00"},
		{Field: "ends", Header: "结束", Aliases: []string{"结束时间"}, Required: true, Note: "如 17:00", Example: "17:00"},
	},
}

// column returns the kind's column for a JSON field.
func (k Kind) column(field string) (Column, bool) {
	for _, c := range Columns[k] {
		if c.Field == field {
			return c, true
		}
	}
	return Column{}, false
}

// normHeader folds the ways people write one header to one form: full-width letters and
// punctuation to their narrow forms, no spaces, no required-marks (*), no note in brackets
// after it ("联系社区（多个用、分隔）"), lower case.
func normHeader(s string) string {
	s = width.Fold.String(s)
	if i := strings.IndexAny(s, "(["); i > 0 {
		s = s[:i]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == ':' {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return s
}

// layout is where each column of a kind is in a file.
type layout struct {
	header  row            // the header row
	at      map[string]int // field → cell index
	name    map[string]string
	ignored []string // headers of no column of the kind, as written
	dup     []dupHeader
}

type dupHeader struct{ field, header string }

// matchHeader maps a row's cells to the kind's columns.
func matchHeader(k Kind, r row) layout {
	l := layout{header: r, at: map[string]int{}, name: map[string]string{}}
	for i, cell := range r.cells {
		if cell == "" {
			continue
		}
		n := normHeader(cell)
		found := false
		for _, c := range Columns[k] {
			if !c.matches(n) {
				continue
			}
			found = true
			if _, seen := l.at[c.Field]; seen {
				l.dup = append(l.dup, dupHeader{c.Field, cell})
				break
			}
			l.at[c.Field], l.name[c.Field] = i, cell
			break
		}
		if !found {
			l.ignored = append(l.ignored, cell)
		}
	}
	return l
}

func (c Column) matches(norm string) bool {
	if norm == normHeader(c.Header) {
		return true
	}
	for _, a := range c.Aliases {
		if norm == normHeader(a) {
			return true
		}
	}
	return false
}

// isHeader reports whether a row is the kind's header: it names every required column.
func isHeader(k Kind, r row) bool {
	l := matchHeader(k, r)
	for _, c := range Columns[k] {
		if _, ok := l.at[c.Field]; c.Required && !ok {
			return false
		}
	}
	return true
}

// findHeader returns the index of the header among a sheet's first rows, -1 when none is.
func findHeader(k Kind, rows []row) int {
	for i, r := range rows {
		if i >= headerScan {
			break
		}
		if isHeader(k, r) {
			return i
		}
	}
	return -1
}

// splitList splits a cell holding several values: 、 ， , ; ； and line breaks separate them;
// blanks and repeats are dropped.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune("、，,;；\n\r", r)
	})
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		p = clean(p)
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
