package console

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/record"
	"liaison/sync/hub/store"
)

// The representatives' record (履职档案): scoring rules an admin edits (record.Rules, kept in
// the store with every saved version), and the records and the ranking of a period computed
// from the log with the rules in force (record.Score). docs/record.md describes both.

// RecordStore is what the record needs from the hub store.
type RecordStore interface {
	RecordRules(ctx context.Context, limit int) (record.Rules, []record.Change, error)
	SaveRecordRules(ctx context.Context, r record.Rules, login, name string) (int64, error)
	RecordEvents(ctx context.Context, from, to time.Time) ([]domain.Event, error)
}

// recordHistory is how many saved versions of the rules the console lists.
const recordHistory = 20

// RecordRulesView is the body of GET and PUT /api/v1/record/rules.
type RecordRulesView struct {
	Rules    record.Rules    `json:"rules"`
	Defaults record.Rules    `json:"defaults"`
	Edited   bool            `json:"edited"`  // an admin's version is in force
	History  []record.Change `json:"history"` // saved versions, newest first
	// ReplyTargetHours is the target a first reply is on time within.
	ReplyTargetHours int `json:"reply_target_hours"`
}

// RecordRankRow is one representative in the ranking.
type RecordRankRow struct {
	Rank     int            `json:"rank"` // 1 for the most points; equal points share a rank
	RepID    string         `json:"rep_id"`
	Name     string         `json:"name"`
	Level    string         `json:"level"`
	Stations []string       `json:"stations"`
	Points   int            `json:"points"`
	Stars    int            `json:"stars"`
	Totals   []record.Total `json:"totals"`
	Replies  int            `json:"replies"`
	OnTime   int            `json:"replies_on_time"`
}

// RecordRanking is the body of GET /api/v1/record/ranking.
type RecordRanking struct {
	Period     record.Period   `json:"period"`
	Station    string          `json:"station"` // "" for the whole street
	Thresholds []int           `json:"thresholds"`
	Rows       []RecordRankRow `json:"rows"`
}

// RepRecord is the body of GET /api/v1/record/reps/{id} and /api/v1/record/me.
type RepRecord struct {
	Rep        RefRep        `json:"rep"`
	Period     record.Period `json:"period"`
	Thresholds []int         `json:"thresholds"`
	MaxStars   int           `json:"max_stars"`
	Record     record.Record `json:"record"`
	// Activities are the titles of the activities in the record, by id.
	Activities map[string]string `json:"activities"`
	// ReplyTargetHours is the target a first reply is on time within.
	ReplyTargetHours int `json:"reply_target_hours"`
}

func (c *Console) mountRecord(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/record/rules", c.authed(adminOnly, c.getRecordRules))
	mux.Handle("PUT /api/v1/record/rules", c.authed(adminOnly, c.putRecordRules))
	mux.Handle("GET /api/v1/record/ranking", c.authed(deskRoles, c.recordRanking))
	mux.Handle("GET /api/v1/record/ranking.xlsx", c.authed(deskRoles, c.recordRankingXLSX))
	mux.Handle("GET /api/v1/record/me", c.authed([]string{store.RoleRepresentative}, c.myRecord))
	mux.Handle("GET /api/v1/record/reps/{id}", c.authed(anyRole, c.repRecord))
	mux.Handle("GET /api/v1/record/reps/{id}/annual.pdf", c.authed(anyRole, c.repAnnualPDF))
}

func (c *Console) recordRulesView(ctx context.Context) (RecordRulesView, error) {
	r, hist, err := c.st.RecordRules(ctx, recordHistory)
	if err != nil {
		return RecordRulesView{}, err
	}
	return RecordRulesView{Rules: r, Defaults: record.DefaultRules(), Edited: len(hist) > 0, History: hist,
		ReplyTargetHours: int(record.ReplyTarget / time.Hour)}, nil
}

func (c *Console) getRecordRules(w http.ResponseWriter, r *http.Request, p *principal) {
	v, err := c.recordRulesView(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

func (c *Console) putRecordRules(w http.ResponseWriter, r *http.Request, p *principal) {
	var rules record.Rules
	if err := decodeBody(r, &rules); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	if probs := rules.Check(); len(probs) > 0 {
		codeError(w, http.StatusBadRequest, probs[0].Code, probs[0].Params)
		return
	}
	// keep the acts in their shown order, whatever order they came in
	slices.SortFunc(rules.Acts, func(a, b record.ActRule) int {
		return cmp.Compare(slices.Index(record.Acts(), a.Act), slices.Index(record.Acts(), b.Act))
	})
	if _, err := c.st.SaveRecordRules(r.Context(), rules, p.User.Login, p.User.Name); err != nil {
		c.internal(w, r, err)
		return
	}
	c.log.Info("record rules saved", "by", p.User.Login)
	c.getRecordRules(w, r, p)
}

// recordPeriod reads ?period=, the current year when absent.
func (c *Console) recordPeriod(w http.ResponseWriter, r *http.Request) (record.Period, bool) {
	loc := c.location()
	s := r.URL.Query().Get("period")
	if s == "" {
		s = strconv.Itoa(c.cfg.Now().In(loc).Year())
	}
	per, err := record.ParsePeriod(s, loc)
	if err != nil {
		codeError(w, http.StatusBadRequest, domain.CodeRecordPeriod, nil)
		return per, false
	}
	return per, true
}

// scoreRecords scores the period with the rules in force.
func (c *Console) scoreRecords(ctx context.Context, per record.Period) (map[string]*record.Record, record.Rules, error) {
	rules, _, err := c.st.RecordRules(ctx, 1)
	if err != nil {
		return nil, rules, err
	}
	evs, err := c.st.RecordEvents(ctx, per.From, per.To)
	if err != nil {
		return nil, rules, err
	}
	return record.Score(record.Input{Events: evs, Rules: rules, Period: per, Location: c.location(),
		CaseRules: c.rules(ctx)}), rules, nil
}

// repsInArea tells which representatives p's area holds: those with a station beneath it.
// An account with no area holds every one.
func (c *Console) repsInArea(ctx context.Context, p *principal) (func(domain.Representative) bool, error) {
	if !areaBound(p.User) {
		return func(domain.Representative) bool { return true }, nil
	}
	tree, err := c.orgTree(ctx)
	if err != nil {
		return nil, err
	}
	return func(rep domain.Representative) bool {
		return slices.ContainsFunc(rep.Stations, func(st string) bool { return tree.StationUnder(p.User.Node, st) })
	}, nil
}

// ranking ranks the representatives of the period in p's area, of one station when station
// is not "".
func (c *Console) ranking(ctx context.Context, p *principal, per record.Period, station string) (RecordRanking, error) {
	inArea, err := c.repsInArea(ctx, p)
	if err != nil {
		return RecordRanking{}, err
	}
	recs, rules, err := c.scoreRecords(ctx, per)
	if err != nil {
		return RecordRanking{}, err
	}
	reps, err := decodeRefs[domain.Representative](ctx, c.st, domain.KindRepresentativeUpserted)
	if err != nil {
		return RecordRanking{}, err
	}
	out := RecordRanking{Period: per, Station: station, Thresholds: rules.Thresholds(per.Months), Rows: []RecordRankRow{}}
	for _, rep := range reps {
		rec := recs[rep.ID]
		if (station != "" && !slices.Contains(rep.Stations, station)) || (rep.Retired && rec == nil) || !inArea(rep) {
			continue
		}
		if rec == nil {
			rec = record.Empty(rep.ID)
		}
		out.Rows = append(out.Rows, RecordRankRow{RepID: rep.ID, Name: rep.Name, Level: rep.Level,
			Stations: nonNil(rep.Stations), Points: rec.Points, Stars: rec.Stars, Totals: rec.Totals,
			Replies: rec.Replies, OnTime: rec.RepliesOnTime})
	}
	slices.SortStableFunc(out.Rows, func(a, b RecordRankRow) int {
		return cmp.Or(cmp.Compare(b.Points, a.Points), cmp.Compare(a.RepID, b.RepID))
	})
	for i := range out.Rows {
		out.Rows[i].Rank = i + 1
		if i > 0 && out.Rows[i].Points == out.Rows[i-1].Points {
			out.Rows[i].Rank = out.Rows[i-1].Rank
		}
	}
	return out, nil
}

func (c *Console) recordRanking(w http.ResponseWriter, r *http.Request, p *principal) {
	per, ok := c.recordPeriod(w, r)
	if !ok {
		return
	}
	out, err := c.ranking(r.Context(), p, per, r.URL.Query().Get("station"))
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, out)
}

// mayReadRecord: staff and admins read every record (of their area, checked with the
// representative's stations), a representative their own.
func mayReadRecord(p *principal, rep string) bool {
	return p.is(store.RoleAdmin, store.RoleStaff) || (p.User.Role == store.RoleRepresentative && p.User.RepID == rep)
}

func (c *Console) repRecordOf(ctx context.Context, rep domain.Representative, per record.Period) (RepRecord, error) {
	recs, rules, err := c.scoreRecords(ctx, per)
	if err != nil {
		return RepRecord{}, err
	}
	rec := recs[rep.ID]
	if rec == nil {
		rec = record.Empty(rep.ID)
	}
	out := RepRecord{Rep: RefRep{ID: rep.ID, Name: rep.Name, Level: rep.Level, Stations: nonNil(rep.Stations)},
		Period: per, Thresholds: rules.Thresholds(per.Months), MaxStars: len(rules.Stars), Record: *rec,
		Activities: map[string]string{}, ReplyTargetHours: int(record.ReplyTarget / time.Hour)}
	acts, err := decodeRefs[domain.Activity](ctx, c.st, domain.KindActivityUpserted)
	if err != nil {
		return out, err
	}
	for _, e := range rec.Entries {
		if e.Activity == "" {
			continue
		}
		if i := slices.IndexFunc(acts, func(a domain.Activity) bool { return a.ID == e.Activity }); i >= 0 {
			out.Activities[e.Activity] = acts[i].Title
		}
	}
	return out, nil
}

// recordRep finds the representative a record request names, answering 403 or 404 itself.
func (c *Console) recordRep(w http.ResponseWriter, r *http.Request, p *principal, id string) (domain.Representative, bool) {
	if !mayReadRecord(p, id) {
		writeError(w, http.StatusForbidden, domain.CodeForbidden)
		return domain.Representative{}, false
	}
	rep, found, err := findRep(r.Context(), c.st, id)
	if err != nil {
		c.internal(w, r, err)
		return rep, false
	}
	if !found {
		codeError(w, http.StatusNotFound, domain.CodeUnknownRep, nil)
		return rep, false
	}
	inArea, err := c.repsInArea(r.Context(), p)
	if err != nil {
		c.internal(w, r, err)
		return rep, false
	}
	if !inArea(rep) {
		writeError(w, http.StatusForbidden, domain.CodeForbidden)
		return rep, false
	}
	return rep, true
}

func (c *Console) writeRepRecord(w http.ResponseWriter, r *http.Request, p *principal, id string) {
	rep, ok := c.recordRep(w, r, p, id)
	if !ok {
		return
	}
	per, ok := c.recordPeriod(w, r)
	if !ok {
		return
	}
	out, err := c.repRecordOf(r.Context(), rep, per)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (c *Console) repRecord(w http.ResponseWriter, r *http.Request, p *principal) {
	c.writeRepRecord(w, r, p, r.PathValue("id"))
}

func (c *Console) myRecord(w http.ResponseWriter, r *http.Request, p *principal) {
	if p.User.RepID == "" {
		codeError(w, http.StatusNotFound, domain.CodeUnknownRep, nil)
		return
	}
	c.writeRepRecord(w, r, p, p.User.RepID)
}

// errNoYear is a PDF request's year that is out of range.
var errNoYear = errors.New("record: bad year")

func (c *Console) annualYear(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return c.cfg.Now().In(c.location()).Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < record.MinYear || y > record.MaxYear {
		return 0, errNoYear
	}
	return y, nil
}
