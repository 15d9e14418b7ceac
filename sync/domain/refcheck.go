package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// RefKind describes one kind of reference data: what an item is keyed by, which stream its
// events go to and which stations receive it.
type RefKind struct {
	Kind   Kind
	Name   string // the short name the console and the CLI use: "station", "duty_roster" …
	Prefix string // the stream of an item is Prefix + key
	// KeyField is the json field (or fields, joined with ":") that make the key.
	KeyField string
	// Scoped is true for kinds whose items belong to one station and sync to it only; the
	// others are global and sync to every station.
	Scoped bool
	// Retire is the json field that retires an item: "retired", "cancelled" for activities,
	// "" for kinds that are edited but never retired (duty days, word lists, calendar years).
	Retire string
}

// RefKinds lists every reference kind an admin writes, in the order an empty hub is best set
// up: stations before the communities, representatives and activities that name them.
var RefKinds = []RefKind{
	{KindOrgNodeUpserted, "org_node", "org:", "code", false, "retired"},
	{KindStationUpserted, "station", "station:", "code", true, "retired"},
	{KindCommunityUpserted, "community", "community:", "code", true, "retired"},
	{KindDepartmentUpserted, "department", "dept:", "code", false, "retired"},
	{KindCategoryUpserted, "category", "category:", "code", false, "retired"},
	{KindRepresentativeUpserted, "representative", "rep:", "id", true, "retired"},
	{KindActivityUpserted, "activity", "activity:", "id", true, "cancelled"},
	{KindProjectUpserted, "project", "project:", "id", true, "retired"},
	{KindDutyRosterUpserted, "duty_roster", "duty:", "station:day", true, ""},
	{KindWordListUpserted, "words", "words:", "name", false, ""},
	{KindCalendarUpserted, "calendar", "calendar:", "year", false, ""},
	{KindDeptRankingUpserted, "dept_ranking", "ranking:", "id", false, "retired"},
}

// LookupRefKind finds a reference kind by its Kind ("ref.station") or short name ("station").
func LookupRefKind(name string) (RefKind, bool) {
	for _, k := range RefKinds {
		if string(k.Kind) == name || k.Name == name {
			return k, true
		}
	}
	return RefKind{}, false
}

// Stream is the stream of the item with key.
func (k RefKind) Stream(key string) string { return k.Prefix + key }

// Bounds of reference items, beyond the fact bounds they share (MaxNameRunes,
// MaxAddressRunes, MaxTextRunes, MaxRefIDBytes).
const (
	MaxRefTitleRunes = 128  // an activity's title, a milestone, a template, opening hours, a unit
	MaxRefList       = 200  // communities, templates, stations, milestones, representatives on duty
	MaxWordRunes     = 32   // one word of a word list
	MaxWords         = 5000 // words in one list
	MaxCapacity      = 10000
	MaxAcceptHours   = 720
	MaxHandleDays    = 365
)

// FieldProblem is one thing wrong with a reference item: the json field ("" for the whole
// item, "communities[2]" for an element), a registered code and its parameters.
type FieldProblem struct {
	Field  string            `json:"field"`
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// RepLevels are the levels of people's congress a representative sits in, highest first.
var RepLevels = []string{"全国", "省", "市", "区", "镇"}

// RepLevel returns the level of a representative's Level as written: a RepLevels entry,
// alone ("区") or followed by 人大代表 ("区人大代表"); false for anything else.
func RepLevel(s string) (string, bool) {
	l := strings.TrimSuffix(s, "人大代表")
	if l == "乡镇" {
		l = "镇"
	}
	return l, slices.Contains(RepLevels, l)
}

// Genders a representative may have; "" when not given.
var Genders = []string{"男", "女"}

// RefKey returns the key of a reference item of kind: a station, community, department or
// category code, a representative, activity or project id, "STATION:YYYY-MM-DD" for a duty
// day, a word list's name, a calendar's year. It returns a *Error (ref_unknown_kind,
// ref_bad_item, field_required) when there is none.
func RefKey(kind Kind, data []byte) (string, error) {
	rk, ok := LookupRefKind(string(kind))
	if !ok {
		return "", NewError(CodeRefUnknownKind, "kind", string(kind))
	}
	var f struct {
		Code    string `json:"code"`
		ID      string `json:"id"`
		Station string `json:"station"`
		Day     string `json:"day"`
		Name    string `json:"name"`
		Year    int    `json:"year"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return "", WrapError(err, CodeRefBadItem, "detail", trimDetail(err.Error()))
	}
	var key, field string
	switch rk.KeyField {
	case "code":
		key, field = f.Code, "code"
	case "id":
		key, field = f.ID, "id"
	case "name":
		key, field = f.Name, "name"
	case "year":
		field = "year"
		if f.Year != 0 {
			key = strconv.Itoa(f.Year)
		}
	case "station:day":
		field = "day"
		if f.Station == "" {
			field = "station"
		}
		if f.Station != "" && f.Day != "" {
			key = f.Station + ":" + f.Day
		}
	}
	if key == "" {
		return "", NewError(CodeFieldRequired, "field", field)
	}
	return key, nil
}

// RefScope is the station an item's events are scoped to: the station itself, the station
// of a community, activity, project or duty day, the only station of a representative; ""
// (every station) for global kinds and for a representative of several stations or none.
func RefScope(kind Kind, data []byte) string {
	var f struct {
		Code     string   `json:"code"`
		Station  string   `json:"station"`
		Stations []string `json:"stations"`
	}
	if json.Unmarshal(data, &f) != nil {
		return ""
	}
	switch kind {
	case KindStationUpserted:
		return f.Code
	case KindRepresentativeUpserted:
		if len(f.Stations) == 1 {
			return f.Stations[0]
		}
		return ""
	case KindCommunityUpserted, KindActivityUpserted, KindProjectUpserted, KindDutyRosterUpserted:
		return f.Station
	}
	return ""
}

// RefRetired reports whether an item is retired (an activity: cancelled).
func RefRetired(kind Kind, data []byte) bool {
	var f struct {
		Retired   bool `json:"retired"`
		Cancelled bool `json:"cancelled"`
	}
	if json.Unmarshal(data, &f) != nil {
		return false
	}
	return f.Retired || f.Cancelled
}

// RefNormalize decodes an item of kind strictly and encodes it again, so two writes of the
// same item compare equal byte for byte whatever their spacing and field order.
func RefNormalize(kind Kind, data []byte) ([]byte, error) {
	v, err := newRef(kind)
	if err != nil {
		return nil, err
	}
	if err := decodeStrict(data, v); err != nil {
		var fe *FactError
		detail := err.Error()
		if errors.As(err, &fe) {
			detail = fe.Detail
		}
		return nil, WrapError(err, CodeRefBadItem, "detail", detail)
	}
	return json.Marshal(v)
}

func newRef(kind Kind) (any, error) {
	switch kind {
	case KindOrgNodeUpserted:
		return &OrgNode{}, nil
	case KindStationUpserted:
		return &Station{}, nil
	case KindCommunityUpserted:
		return &Community{}, nil
	case KindRepresentativeUpserted:
		return &Representative{}, nil
	case KindDepartmentUpserted:
		return &Department{}, nil
	case KindCategoryUpserted:
		return &Category{}, nil
	case KindActivityUpserted:
		return &Activity{}, nil
	case KindProjectUpserted:
		return &Project{}, nil
	case KindDutyRosterUpserted:
		return &DutyShift{}, nil
	case KindWordListUpserted:
		return &WordList{}, nil
	case KindCalendarUpserted:
		return &CalendarYear{}, nil
	case KindDeptRankingUpserted:
		return &DeptRanking{}, nil
	}
	return nil, NewError(CodeRefUnknownKind, "kind", string(kind))
}

// CheckRef checks a reference item's own fields: required fields, bounded text, code
// formats, ranges and the order of times. It returns every problem found, none for a good
// item. References to other items (a station, a representative) are checked by the store,
// which knows what exists.
func CheckRef(kind Kind, data []byte) []FieldProblem {
	v, err := newRef(kind)
	if err != nil {
		return []FieldProblem{{Code: CodeRefUnknownKind, Params: map[string]string{"kind": string(kind)}}}
	}
	if len(data) > MaxFactData*4 {
		return []FieldProblem{{Code: CodeFieldTooLong, Params: map[string]string{"max": strconv.Itoa(MaxFactData * 4)}}}
	}
	if err := decodeStrict(data, v); err != nil {
		detail := err.Error()
		var fe *FactError
		if errors.As(err, &fe) {
			detail = fe.Detail
		}
		return []FieldProblem{{Code: CodeRefBadItem, Params: map[string]string{"detail": detail}}}
	}
	var c refChecker
	switch x := v.(type) {
	case *OrgNode:
		c.code("code", x.Code)
		c.text("name", x.Name, MaxNameRunes, true)
		c.oneOf("level", x.Level, OrgLevels, true)
		c.optCode("parent", x.Parent)
		if x.Parent != "" && x.Parent == x.Code {
			c.add("parent", CodeRefOrgParent)
		}
	case *Station:
		c.stationCode("code", x.Code)
		c.text("name", x.Name, MaxNameRunes, true)
		c.text("address", x.Address, MaxAddressRunes, false)
		c.names("communities", x.Communities, MaxNameRunes)
		c.text("hours", x.Hours, MaxRefTitleRunes, false)
		c.optCode("node", x.Node)
	case *Community:
		c.code("code", x.Code)
		c.text("name", x.Name, MaxNameRunes, true)
		c.stationCode("station", x.Station)
	case *Representative:
		c.code("id", x.ID)
		c.text("name", x.Name, MaxNameRunes, true)
		c.oneOf("gender", x.Gender, Genders, false)
		if _, ok := RepLevel(x.Level); !ok {
			if x.Level == "" {
				c.add("level", CodeFieldRequired)
			} else {
				c.add("level", CodeFieldNotIn, "values", strings.Join(RepLevels, "、"))
			}
		}
		c.text("constituency", x.Constituency, MaxNameRunes, false)
		c.names("communities", x.Communities, MaxNameRunes)
		c.text("title", x.Title, MaxRefTitleRunes, false)
		c.list("stations", len(x.Stations))
		for i, s := range x.Stations {
			c.stationCode(fmt.Sprintf("stations[%d]", i), s)
		}
		c.repeated("stations", x.Stations)
		c.text("profile", x.Profile, MaxTextRunes, false)
		c.text("photo", x.Photo, MaxAddressRunes, false)
		if x.Photo != "" && !strings.HasPrefix(x.Photo, "/media/reps/") {
			c.add("photo", CodeFieldBadCode)
		}
		if x.Phone != "" && !phoneLike(x.Phone) {
			c.add("phone", CodeFieldBadPhone)
		}
	case *Department:
		c.code("code", x.Code)
		c.text("name", x.Name, MaxNameRunes, true)
		c.text("contact", x.Contact, MaxNameRunes, false)
		if x.Phone != "" && !phoneLike(x.Phone) {
			c.add("phone", CodeFieldBadPhone)
		}
		c.optCode("node", x.Node)
	case *Category:
		c.code("code", x.Code)
		c.text("name", x.Name, MaxNameRunes, true)
		if x.Icon != "" && !IsRefID(x.Icon) {
			c.add("icon", CodeFieldBadCode)
		}
		c.names("templates", x.Templates, MaxRefTitleRunes)
		c.rangeOf("accept_hours", x.AcceptHours, 1, MaxAcceptHours, true)
		c.rangeOf("handle_days", x.HandleDays, 1, MaxHandleDays, true)
		c.optCode("node", x.Node)
	case *Activity:
		c.code("id", x.ID)
		c.stationCode("station", x.Station)
		c.text("title", x.Title, MaxRefTitleRunes, true)
		c.text("kind", x.Kind, MaxNameRunes, true)
		c.text("place", x.Place, MaxAddressRunes, true)
		c.text("description", x.Description, MaxTextRunes, false)
		c.rangeOf("capacity", x.Capacity, 1, MaxCapacity, false)
		c.list("invited", len(x.Invited))
		c.repeated("invited", x.Invited)
		for i, id := range x.Invited {
			c.code(fmt.Sprintf("invited[%d]", i), id)
		}
		c.span("starts", "ends", x.Starts, x.Ends)
		if !x.Starts.IsZero() && !x.Ends.IsZero() {
			opensOK := x.SignUpOpens.IsZero() || x.SignUpOpens.Before(x.Starts) &&
				(x.SignUpCloses.IsZero() || x.SignUpOpens.Before(x.SignUpCloses))
			closesOK := x.SignUpCloses.IsZero() || !x.SignUpCloses.After(x.Ends)
			if !opensOK {
				c.add("signup_opens", CodeRefSignUpWindow)
			}
			if !closesOK {
				c.add("signup_closes", CodeRefSignUpWindow)
			}
		}
	case *Project:
		c.code("id", x.ID)
		c.stationCode("station", x.Station)
		c.text("name", x.Name, MaxRefTitleRunes, true)
		c.rangeOf("progress", x.Progress, 0, 100, false)
		c.list("milestones", len(x.Milestones))
		for i, m := range x.Milestones {
			f := fmt.Sprintf("milestones[%d]", i)
			c.text(f+".title", m.Title, MaxRefTitleRunes, true)
			if m.Due.IsZero() {
				c.add(f+".due", CodeFieldRequired)
			}
		}
	case *DutyShift:
		c.stationCode("station", x.Station)
		day, ok := c.date("day", x.Day)
		c.list("rep_ids", len(x.RepIDs))
		for i, id := range x.RepIDs {
			if !IsRefID(id) {
				c.add(fmt.Sprintf("rep_ids[%d]", i), CodeFieldBadCode)
			}
		}
		c.repeated("rep_ids", x.RepIDs)
		c.span("starts", "ends", x.Starts, x.Ends)
		if ok && !x.Starts.IsZero() && x.Starts.In(chinaStandardTime()).Format(time.DateOnly) != day.Format(time.DateOnly) {
			c.add("starts", CodeRefDayMismatch, "day", x.Day)
		}
	case *WordList:
		c.oneOf("name", x.Name, []string{WordsSensitive, WordsHotStop}, true)
		if len(x.Words) > MaxWords {
			c.add("words", CodeFieldTooMany, "max", strconv.Itoa(MaxWords))
		} else {
			for i, w := range x.Words {
				c.text(fmt.Sprintf("words[%d]", i), w, MaxWordRunes, true)
			}
			c.repeated("words", x.Words)
		}
	case *DeptRanking:
		c.checkRanking(x)
	case *CalendarYear:
		c.rangeOf("year", x.Year, 2000, 2100, false)
		seen := map[string]bool{}
		for _, set := range []struct {
			field string
			days  []CalendarDay
		}{{"holidays", x.Holidays}, {"workdays", x.Workdays}} {
			c.list(set.field, len(set.days))
			var dates []string
			for i, d := range set.days {
				f := fmt.Sprintf("%s[%d]", set.field, i)
				c.text(f+".name", d.Name, MaxNameRunes, true)
				t, ok := c.date(f+".date", d.Date)
				if !ok {
					continue
				}
				dates = append(dates, d.Date)
				if t.Year() != x.Year {
					c.add(f+".date", CodeRefDateYear, "year", strconv.Itoa(x.Year))
				}
				if set.field == "workdays" {
					if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
						c.add(f+".date", CodeRefWorkdayDay)
					}
					if seen[d.Date] {
						c.add(f+".date", CodeRefHolidayWork)
					}
				}
			}
			c.repeated(set.field, dates)
			for _, d := range dates {
				if set.field == "holidays" {
					seen[d] = true
				}
			}
		}
	}
	return c.problems
}

type refChecker struct{ problems []FieldProblem }

func (c *refChecker) add(field, code string, kv ...string) {
	p := FieldProblem{Field: field, Code: code}
	if len(kv) >= 2 {
		p.Params = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			p.Params[kv[i]] = kv[i+1]
		}
	}
	c.problems = append(c.problems, p)
}

func (c *refChecker) text(field, s string, max int, required bool) {
	if required && strings.TrimSpace(s) == "" {
		c.add(field, CodeFieldRequired)
		return
	}
	if !utf8.ValidString(s) {
		c.add(field, CodeFieldBadText)
		return
	}
	n := 0
	for _, r := range s {
		n++
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || r == utf8.RuneError {
			c.add(field, CodeFieldBadText)
			return
		}
	}
	if n > max {
		c.add(field, CodeFieldTooLong, "max", strconv.Itoa(max))
	}
}

func (c *refChecker) code(field, s string) {
	switch {
	case s == "":
		c.add(field, CodeFieldRequired)
	case !IsRefID(s):
		c.add(field, CodeFieldBadCode)
	}
}

// optCode checks a code that may be left empty.
func (c *refChecker) optCode(field, s string) {
	if s != "" {
		c.code(field, s)
	}
}

func (c *refChecker) stationCode(field, s string) {
	switch {
	case s == "":
		c.add(field, CodeFieldRequired)
	case !IsStationCode(s):
		c.add(field, CodeFieldBadStation)
	}
}

func (c *refChecker) names(field string, xs []string, max int) {
	c.list(field, len(xs))
	for i, s := range xs {
		c.text(fmt.Sprintf("%s[%d]", field, i), s, max, true)
	}
	c.repeated(field, xs)
}

func (c *refChecker) list(field string, n int) {
	if n > MaxRefList {
		c.add(field, CodeFieldTooMany, "max", strconv.Itoa(MaxRefList))
	}
}

func (c *refChecker) repeated(field string, xs []string) {
	seen := make(map[string]bool, len(xs))
	for _, s := range xs {
		if seen[s] {
			c.add(field, CodeFieldRepeated, "value", trimDetail(s))
			return
		}
		seen[s] = true
	}
}

func (c *refChecker) oneOf(field, s string, set []string, required bool) {
	if s == "" && !required {
		return
	}
	if s == "" {
		c.add(field, CodeFieldRequired)
		return
	}
	if !slices.Contains(set, s) {
		c.add(field, CodeFieldNotIn, "values", strings.Join(set, "、"))
	}
}

// rangeOf checks min <= n <= max; zeroOK lets 0 stand for "the default".
func (c *refChecker) rangeOf(field string, n, min, max int, zeroOK bool) {
	if n == 0 && zeroOK {
		return
	}
	if n < min || n > max {
		c.add(field, CodeFieldRange, "min", strconv.Itoa(min), "max", strconv.Itoa(max))
	}
}

func (c *refChecker) span(startField, endField string, starts, ends time.Time) {
	if starts.IsZero() {
		c.add(startField, CodeFieldRequired)
	}
	if ends.IsZero() {
		c.add(endField, CodeFieldRequired)
	}
	if !starts.IsZero() && !ends.IsZero() && !ends.After(starts) {
		c.add(endField, CodeRefEndsBefore)
	}
}

func (c *refChecker) date(field, s string) (time.Time, bool) {
	if s == "" {
		c.add(field, CodeFieldRequired)
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		c.add(field, CodeFieldBadDate)
		return time.Time{}, false
	}
	return t, true
}

// RefEqual reports whether two encodings of an item of kind are the same item.
func RefEqual(kind Kind, a, b []byte) bool {
	na, err := RefNormalize(kind, a)
	if err != nil {
		return false
	}
	nb, err := RefNormalize(kind, b)
	return err == nil && bytes.Equal(na, nb)
}
