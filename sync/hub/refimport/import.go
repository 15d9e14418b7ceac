// Package refimport brings reference data in from the spreadsheets offices keep:
// representatives, departments, stations and the duty roster, from an XLSX workbook or a CSV
// file (UTF-8 with or without a byte order mark, UTF-16 with one, or GB18030 as older office
// software writes it). A file is taken whole or not at all: one bad row refuses it, with
// every bad row's number, column and reason; importing the same file again changes nothing.
//
// The workbook is read with github.com/xuri/excelize/v2, which the console's exports already
// use; the legacy encodings come from golang.org/x/text.
package refimport

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Store is what an import needs of the hub store.
type Store interface {
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
	PutRefs(ctx context.Context, writes []store.RefWrite, actor domain.Actor) (store.RefResult, error)
}

// Importer imports files into a store.
type Importer struct {
	st  Store
	loc *time.Location
}

// New returns an importer; loc is the stations' zone, which the roster's days and times are
// in (China Standard Time when nil).
func New(st Store, loc *time.Location) *Importer {
	if loc == nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return &Importer{st: st, loc: loc}
}

// Action is what an import does to one item.
type Action string

const (
	Create    Action = "create"
	Update    Action = "update"
	Unchanged Action = "unchanged"
)

// Problem is one reason a file is refused.
type Problem struct {
	Row    int               // the row as a spreadsheet shows it; 0 for the file as a whole
	Column string            // the column's header as the file writes it; "" for a whole row
	Code   string            // a registered code (domain.CodeImport…, or the store's)
	Params map[string]string // the code's parameters
}

// RowResult is one data row of the file and what importing it does.
type RowResult struct {
	Row    int
	Key    string // the item it makes; "" for a row with problems
	Action Action // "" for a row with problems
	Cells  []string
}

// Report is what an import found and did.
type Report struct {
	Kind     Kind
	Columns  []string // the headers of the file's columns that are read, in the kind's order
	Ignored  []string // headers of columns that are not read
	Rows     []RowResult
	Created  int
	Updated  int
	Same     int // items the file has exactly as the hub does
	Problems []Problem
	Written  bool // the items were recorded; false for a dry run and for a refused file
}

// Refused reports whether the file was refused.
func (r *Report) Refused() bool { return len(r.Problems) > 0 }

// BadRows counts the rows with problems (the file as a whole counts as one).
func (r *Report) BadRows() int {
	seen := map[int]bool{}
	for _, p := range r.Problems {
		seen[p.Row] = true
	}
	return len(seen)
}

type problems struct{ list []Problem }

func (p *problems) add(row int, column, code string, params map[string]string) {
	p.list = append(p.list, Problem{Row: row, Column: column, Code: code, Params: params})
}

// Run reads a file of the kind and, unless dryRun, records its items as actor, all or none.
// A file that cannot be imported is not an error: the report lists its problems. The error
// is for a store that failed.
func (im *Importer) Run(ctx context.Context, kind Kind, file io.Reader, dryRun bool, actor domain.Actor) (*Report, error) {
	rep := &Report{Kind: kind}
	var ps problems
	t, err := readTable(file, func(top []row) bool { return findHeader(kind, top) >= 0 })
	var re *readError
	if errors.As(err, &re) {
		ps.add(0, "", re.code, re.params)
		rep.Problems = ps.list
		return rep, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read import file: %w", err)
	}
	h := findHeader(kind, t.rows)
	if h < 0 {
		ps.add(0, "", domain.CodeImportHeaderMissing, map[string]string{"columns": strings.Join(requiredHeaders(kind), "、")})
		rep.Problems = ps.list
		return rep, nil
	}
	l := matchHeader(kind, t.rows[h])
	for _, d := range l.dup {
		ps.add(l.header.num, d.header, domain.CodeImportColumnDuplicate, map[string]string{"column": d.header})
	}
	rep.Ignored = l.ignored
	var fields []string
	for _, c := range Columns[kind] {
		if _, ok := l.at[c.Field]; ok {
			rep.Columns, fields = append(rep.Columns, l.name[c.Field]), append(fields, c.Field)
		}
	}
	data := t.rows[h+1:]
	switch {
	case len(data) == 0:
		ps.add(0, "", domain.CodeImportNoRows, nil)
	case len(data) > MaxRows:
		ps.add(0, "", domain.CodeImportTooManyRows, map[string]string{"max": itoa(MaxRows)})
	}
	if len(ps.list) > 0 {
		rep.Problems = ps.list
		return rep, nil
	}
	cur, err := im.load(ctx, kind)
	if err != nil {
		return nil, err
	}
	b := &builder{kind: kind, l: l, cur: cur, loc: im.loc, date1904: t.date1904, problems: &ps, byKey: map[string]*item{}}
	for _, r := range data {
		im.buildRow(b, r)
	}
	writes, actions, err := b.finish()
	if err != nil {
		return nil, err
	}
	rep.Rows = rowResults(data, b, fields, actions)
	skipped := 0
	if len(ps.list) == 0 && !dryRun {
		if skipped, err = im.write(ctx, b, writes, actor); err != nil {
			return nil, err
		}
		rep.Written = len(ps.list) == 0
	}
	rep.Problems = sortProblems(ps.list, kind, l)
	if rep.Refused() {
		return rep, nil
	}
	for _, a := range actions {
		switch a {
		case Create:
			rep.Created++
		case Update:
			rep.Updated++
		default:
			rep.Same++
		}
	}
	// Writes the store found unchanged after all were not updates.
	skipped = min(skipped, rep.Updated)
	rep.Updated, rep.Same = rep.Updated-skipped, rep.Same+skipped
	return rep, nil
}

func (im *Importer) buildRow(b *builder, r row) {
	switch b.kind {
	case Representatives:
		b.rep(r)
	case Departments:
		b.department(r)
	case Stations:
		b.station(r)
	case DutyRoster:
		b.duty(r)
	}
}

func requiredHeaders(k Kind) []string {
	var out []string
	for _, c := range Columns[k] {
		if c.Required {
			out = append(out, c.Header)
		}
	}
	return out
}

// load reads what the kind's rows are compared with and resolved against.
func (im *Importer) load(ctx context.Context, kind Kind) (current, error) {
	cur := current{items: map[string]json.RawMessage{}}
	raw, err := im.st.RefData(ctx, kind.refKind(), "")
	if err != nil {
		return cur, fmt.Errorf("load %s: %w", kind, err)
	}
	for _, r := range raw {
		if k := itemKey(kind, r); k != "" {
			cur.items[k] = r
		}
	}
	if kind == Representatives || kind == DutyRoster {
		if cur.stations, err = decodeAll[domain.Station](ctx, im.st, domain.KindStationUpserted); err != nil {
			return cur, err
		}
	}
	if kind == Representatives {
		if cur.communities, err = decodeAll[domain.Community](ctx, im.st, domain.KindCommunityUpserted); err != nil {
			return cur, err
		}
	}
	if kind == DutyRoster {
		if cur.reps, err = decodeAll[domain.Representative](ctx, im.st, domain.KindRepresentativeUpserted); err != nil {
			return cur, err
		}
	}
	return cur, nil
}

// itemKey is the key of a stored item of the kind.
func itemKey(kind Kind, raw json.RawMessage) string {
	var k struct {
		ID      string `json:"id"`
		Code    string `json:"code"`
		Station string `json:"station"`
		Day     string `json:"day"`
	}
	if json.Unmarshal(raw, &k) != nil {
		return ""
	}
	switch kind {
	case Representatives:
		return k.ID
	case DutyRoster:
		return k.Station + ":" + k.Day
	}
	return k.Code
}

func decodeAll[T any](ctx context.Context, st Store, kind domain.Kind) ([]T, error) {
	raw, err := st.RefData(ctx, kind, "")
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", kind, err)
	}
	out := make([]T, 0, len(raw))
	for _, r := range raw {
		var v T
		if err := json.Unmarshal(r, &v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", kind, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// finish encodes the items, checks each with the domain's rules, and decides what importing
// it does: items the hub already has as they are are not written at all.
func (b *builder) finish() ([]store.RefWrite, map[*item]Action, error) {
	actions := map[*item]Action{}
	var writes []store.RefWrite
	for _, it := range b.items {
		data, err := json.Marshal(it.value)
		if err != nil {
			return nil, nil, fmt.Errorf("encode %s %s: %w", b.kind, it.key, err)
		}
		it.data = data
		for _, fp := range domain.CheckRef(b.kind.refKind(), data) {
			b.problems.add(it.rows[0], b.header(fp.Field), fp.Code, fp.Params)
		}
		old, exists := b.cur.items[it.key]
		switch {
		case !exists:
			actions[it] = Create
		case sameItem(b.kind, old, it.value):
			actions[it] = Unchanged
			continue
		default:
			actions[it] = Update
		}
		writes = append(writes, store.RefWrite{Kind: b.kind.refKind(), Key: it.key, Data: data, Create: !exists})
	}
	return writes, actions, nil
}

// sameItem compares a stored item with an imported one as values, so a stored item written
// with other spacing or another zone offset for the same instant is the same.
func sameItem(kind Kind, old json.RawMessage, v any) bool {
	var a []byte
	var err error
	switch kind {
	case Representatives:
		a, err = reencode[domain.Representative](old, nil)
	case Departments:
		a, err = reencode[domain.Department](old, nil)
	case Stations:
		a, err = reencode[domain.Station](old, nil)
	default:
		a, err = reencode(old, func(d *domain.DutyShift) { d.Starts, d.Ends = d.Starts.UTC(), d.Ends.UTC() })
	}
	if err != nil {
		return false
	}
	b, err := json.Marshal(v)
	return err == nil && bytes.Equal(a, b)
}

func reencode[T any](raw json.RawMessage, norm func(*T)) ([]byte, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if norm != nil {
		norm(&v)
	}
	return json.Marshal(v)
}

// write records the writes in one call, and maps what the store refuses back to rows. It
// returns how many writes the store skipped as unchanged.
func (im *Importer) write(ctx context.Context, b *builder, writes []store.RefWrite, actor domain.Actor) (int, error) {
	if len(writes) == 0 {
		return 0, nil
	}
	res, err := im.st.PutRefs(ctx, writes, actor)
	var refused *store.RefRefused
	if errors.As(err, &refused) {
		byKey := map[string]*item{}
		for _, it := range b.items {
			byKey[it.key] = it
		}
		for _, p := range refused.Problems {
			key := p.Key
			if key == "" && p.Index >= 0 && p.Index < len(writes) {
				key = writes[p.Index].Key
			}
			row := 0
			if it, ok := byKey[key]; ok {
				row = it.rows[0]
			}
			b.problems.add(row, b.header(p.Field), p.Code, p.Params)
		}
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("record %s import: %w", b.kind, err)
	}
	return res.Unchanged, nil
}

func rowResults(data []row, b *builder, fields []string, actions map[*item]Action) []RowResult {
	byRow := map[int]*item{}
	for _, it := range b.items {
		for _, n := range it.rows {
			byRow[n] = it
		}
	}
	out := make([]RowResult, 0, len(data))
	for _, r := range data {
		rr := RowResult{Row: r.num, Cells: make([]string, len(fields))}
		for i, f := range fields {
			rr.Cells[i], _ = b.cell(r, f)
		}
		if it, ok := byRow[r.num]; ok {
			rr.Key, rr.Action = it.key, actions[it]
		}
		out = append(out, rr)
	}
	return out
}

// sortProblems orders problems by row, then by the column's place in the file.
func sortProblems(ps []Problem, kind Kind, l layout) []Problem {
	place := func(header string) int {
		for f, h := range l.name {
			if h == header {
				return l.at[f]
			}
		}
		return -1
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(place(a.Column), place(b.Column)))
	})
	return ps
}
