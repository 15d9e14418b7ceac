package refimport

import (
	"encoding/json"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
)

// item is one reference item a file brings: its key, its JSON and the rows it came from
// (several for a duty day listed one representative a row).
type item struct {
	key  string
	data json.RawMessage
	rows []int
	// value is the item before encoding, kept while rows of the same duty day merge.
	value any
}

// current is what the hub holds before the import: the kind's items by key, and the stations
// and representatives the rows name.
type current struct {
	items       map[string]json.RawMessage
	stations    []domain.Station
	communities []domain.Community
	reps        []domain.Representative
}

// builder turns a file's rows into items, collecting the problems of each row.
type builder struct {
	kind     Kind
	l        layout
	cur      current
	loc      *time.Location
	date1904 bool
	problems *problems
	items    []*item
	byKey    map[string]*item
}

// cell returns a row's value of a column, and whether the file has the column.
func (b *builder) cell(r row, field string) (string, bool) {
	i, ok := b.l.at[field]
	if !ok {
		return "", false
	}
	if i < len(r.cells) {
		return r.cells[i], true
	}
	return "", true
}

// required returns a required column's value, noting the row when it is blank.
func (b *builder) required(r row, field string) (string, bool) {
	v, _ := b.cell(r, field)
	if v == "" {
		b.problems.add(r.num, b.header(field), domain.CodeImportValueRequired, map[string]string{"column": b.header(field)})
		return "", false
	}
	return v, true
}

// header is a column's header as the file writes it, or as the template does.
func (b *builder) header(field string) string {
	// The item's checks name an element of a list ("stations[1]"): its column is the list's.
	if i := strings.IndexAny(field, "[."); i > 0 {
		field = field[:i]
	}
	if h, ok := b.l.name[field]; ok {
		return h
	}
	if c, ok := b.kind.column(field); ok {
		return c.Header
	}
	return ""
}

func (b *builder) bad(r row, field, code, value string) {
	b.problems.add(r.num, b.header(field), code, map[string]string{"value": value})
}

// decodeCurrent reads the hub's item of a key into v; false when there is none.
func decodeCurrent(cur current, key string, v any) bool {
	raw, ok := cur.items[key]
	return ok && json.Unmarshal(raw, v) == nil
}

// add records a row's item, or notes the row as a repeat of an earlier one with its key.
func (b *builder) add(r row, keyField, key string, v any) {
	if first, ok := b.byKey[key]; ok {
		b.problems.add(r.num, b.header(keyField), domain.CodeImportRowRepeated, map[string]string{"row": itoa(first.rows[0])})
		return
	}
	it := &item{key: key, rows: []int{r.num}, value: v}
	b.byKey[key] = it
	b.items = append(b.items, it)
}

// rep reads a representative. Columns the file does not have keep the hub's values, and so
// do the photo and the retired mark, which no spreadsheet carries.
func (b *builder) rep(r row) {
	id, okID := b.required(r, "id")
	name, okName := b.required(r, "name")
	id = code(id)
	var rep domain.Representative
	if okID && !decodeCurrent(b.cur, id, &rep) {
		rep = domain.Representative{PhotoSeed: photoSeed(id)}
	}
	rep.ID, rep.Name = id, name
	ok := okID && okName
	if v, has := b.cell(r, "gender"); has {
		rep.Gender = gender(v)
	}
	if v, has := b.cell(r, "level"); has {
		rep.Level = code(v)
	}
	if v, has := b.cell(r, "constituency"); has {
		rep.Constituency = v
	}
	if v, has := b.cell(r, "communities"); has {
		rep.Communities = splitList(v)
	}
	if v, has := b.cell(r, "title"); has {
		rep.Title = v
	}
	if v, has := b.cell(r, "stations"); has {
		codes, good := b.stationCodes(r, "stations", splitList(v))
		rep.Stations, ok = codes, ok && good
	}
	if v, has := b.cell(r, "profile"); has {
		rep.Profile = v
	}
	if v, has := b.cell(r, "phone"); has {
		rep.Phone = phone(v)
	}
	if rep.Communities == nil {
		rep.Communities = []string{}
	}
	if !b.served(r, rep) {
		ok = false
	}
	if rep.Stations == nil {
		rep.Stations = []string{}
	}
	if ok {
		b.add(r, "id", id, rep)
	}
}

// served checks a representative's communities are served by the representative's
// stations, by the stations' own lists or community items, as the store will.
func (b *builder) served(r row, rep domain.Representative) bool {
	if len(rep.Stations) == 0 {
		return true
	}
	var served []string
	for _, st := range b.cur.stations {
		if slices.Contains(rep.Stations, st.Code) {
			served = append(served, st.Communities...)
		}
	}
	for _, c := range b.cur.communities {
		if slices.Contains(rep.Stations, c.Station) {
			served = append(served, c.Code, c.Name)
		}
	}
	ok := true
	for _, c := range rep.Communities {
		if !slices.Contains(served, c) {
			b.problems.add(r.num, b.header("communities"), domain.CodeRefDangling,
				map[string]string{"kind": "community", "key": c})
			ok = false
		}
	}
	return ok
}

// photoSeed gives a new representative's drawn avatar a seed that follows from the id, so
// importing the same file into two hubs draws the same faces.
func photoSeed(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() & 0xffff)
}

// codeAndName reads a row's required code and name and, when the code is given, fills into
// with what the hub holds under that code now. ok is whether both were given.
func (b *builder) codeAndName(r row, into any) (c, name string, ok bool) {
	c, okCode := b.required(r, "code")
	name, okName := b.required(r, "name")
	c = code(c)
	if okCode {
		decodeCurrent(b.cur, c, into)
	}
	return c, name, okCode && okName
}

func (b *builder) department(r row) {
	var d domain.Department
	c, name, ok := b.codeAndName(r, &d)
	d.Code, d.Name = c, name
	if v, has := b.cell(r, "contact"); has {
		d.Contact = v
	}
	if v, has := b.cell(r, "phone"); has {
		d.Phone = phone(v)
	}
	if ok {
		b.add(r, "code", c, d)
	}
}

func (b *builder) station(r row) {
	var st domain.Station
	c, name, ok := b.codeAndName(r, &st)
	st.Code, st.Name = c, name
	if v, has := b.cell(r, "address"); has {
		st.Address = v
	}
	if v, has := b.cell(r, "communities"); has {
		st.Communities = splitList(v)
	}
	if v, has := b.cell(r, "hours"); has {
		st.Hours = v
	}
	if st.Communities == nil {
		st.Communities = []string{}
	}
	if ok {
		b.add(r, "code", c, st)
	}
}

// stationCodes resolves stations written by code or by name against the hub's stations.
func (b *builder) stationCodes(r row, field string, names []string) ([]string, bool) {
	out := make([]string, 0, len(names))
	ok := true
	for _, n := range names {
		c, found := b.stationCode(n)
		if !found {
			b.bad(r, field, domain.CodeImportStationUnknown, n)
			ok = false
			continue
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, ok
}

func (b *builder) stationCode(s string) (string, bool) {
	folded := code(s)
	for _, st := range b.cur.stations {
		if strings.EqualFold(st.Code, folded) {
			return st.Code, true
		}
	}
	for _, st := range b.cur.stations {
		if st.Name == s {
			return st.Code, true
		}
	}
	return "", false
}

// duty reads a roster row. Rows of the same station and day make one shift: their
// representatives join, and their times must agree.
func (b *builder) duty(r row) {
	dayText, okDay := b.required(r, "day")
	stText, okSt := b.required(r, "station")
	repText, okReps := b.required(r, "rep_ids")
	startText, okStart := b.required(r, "starts")
	endText, okEnd := b.required(r, "ends")
	ok := okDay && okSt && okReps && okStart && okEnd
	var day, station string
	if okDay {
		d, good := date(dayText, b.date1904)
		if !good {
			b.bad(r, "day", domain.CodeImportDateInvalid, dayText)
		}
		day, ok = d, ok && good
	}
	if okSt {
		c, good := b.stationCode(stText)
		if !good {
			b.bad(r, "station", domain.CodeImportStationUnknown, stText)
		}
		station, ok = c, ok && good
	}
	var ids []string
	if okReps && station != "" {
		var good bool
		ids, good = b.repIDs(r, station, splitList(repText))
		ok = ok && good
	}
	from, okFrom := b.clockCell(r, "starts", startText, okStart)
	to, okTo := b.clockCell(r, "ends", endText, okEnd)
	ok = ok && okFrom && okTo
	if okFrom && okTo && to <= from {
		b.problems.add(r.num, b.header("ends"), domain.CodeImportTimeOrder,
			map[string]string{"starts": clockText(from), "ends": clockText(to)})
		ok = false
	}
	if !ok {
		return
	}
	d, _ := time.ParseInLocation(time.DateOnly, day, b.loc)
	shift := domain.DutyShift{Station: station, Day: day, RepIDs: ids,
		Starts: d.Add(time.Duration(from) * time.Minute).UTC(), Ends: d.Add(time.Duration(to) * time.Minute).UTC()}
	key := station + ":" + day
	if it, seen := b.byKey[key]; seen {
		prev := it.value.(domain.DutyShift)
		if !prev.Starts.Equal(shift.Starts) || !prev.Ends.Equal(shift.Ends) {
			b.problems.add(r.num, b.header("starts"), domain.CodeImportDutyConflict, map[string]string{"row": itoa(it.rows[0])})
			return
		}
		for _, id := range ids {
			if !slices.Contains(prev.RepIDs, id) {
				prev.RepIDs = append(prev.RepIDs, id)
			}
		}
		it.value, it.rows = prev, append(it.rows, r.num)
		return
	}
	b.add(r, "day", key, shift)
}

func (b *builder) clockCell(r row, field, v string, filled bool) (int, bool) {
	if !filled {
		return 0, false
	}
	m, ok := clock(v)
	if !ok {
		b.bad(r, field, domain.CodeImportTimeInvalid, v)
	}
	return m, ok
}

// repIDs resolves representatives written by id or by name. A name two representatives
// share is taken as the one of the station when only one of them is; a retired
// representative is not put on duty.
func (b *builder) repIDs(r row, station string, names []string) ([]string, bool) {
	out := make([]string, 0, len(names))
	ok := true
	for _, n := range names {
		rep, code := b.findRep(station, n)
		switch {
		case code == domain.CodeImportRepAmbiguous:
			ids := []string{}
			for _, c := range b.repsNamed(n) {
				ids = append(ids, c.ID)
			}
			b.problems.add(r.num, b.header("rep_ids"), code, map[string]string{"value": n, "ids": strings.Join(ids, "、")})
			ok = false
		case code != "":
			b.bad(r, "rep_ids", code, n)
			ok = false
		case !slices.Contains(out, rep.ID):
			out = append(out, rep.ID)
		}
	}
	return out, ok
}

func (b *builder) findRep(station, s string) (domain.Representative, string) {
	folded := code(s)
	for _, rep := range b.cur.reps {
		if strings.EqualFold(rep.ID, folded) {
			if rep.Retired {
				return rep, domain.CodeImportRepRetired
			}
			return rep, ""
		}
	}
	named := b.repsNamed(s)
	active := slices.DeleteFunc(slices.Clone(named), func(r domain.Representative) bool { return r.Retired })
	if len(active) > 1 {
		active = slices.DeleteFunc(active, func(r domain.Representative) bool { return !slices.Contains(r.Stations, station) })
		if len(active) != 1 {
			return domain.Representative{}, domain.CodeImportRepAmbiguous
		}
	}
	switch {
	case len(active) == 1:
		return active[0], ""
	case len(named) > 0:
		return named[0], domain.CodeImportRepRetired
	}
	return domain.Representative{}, domain.CodeImportRepUnknown
}

func (b *builder) repsNamed(name string) []domain.Representative {
	var out []domain.Representative
	for _, rep := range b.cur.reps {
		if rep.Name == name {
			out = append(out, rep)
		}
	}
	return out
}
