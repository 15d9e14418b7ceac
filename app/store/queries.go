package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"liaison/sync/domain"
)

func notFound(what, key string) error {
	return fmt.Errorf("%s %s: %w", what, key, domain.ErrNotFound)
}

func (s *Store) caseWhere(ctx context.Context, what, where string, arg any) (domain.Case, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM cases WHERE `+where+` LIMIT 1`, arg).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Case{}, notFound(what, fmt.Sprint(arg))
	}
	if err != nil {
		return domain.Case{}, fmt.Errorf("read %s: %w", what, err)
	}
	var c domain.Case
	if err := json.Unmarshal(data, &c); err != nil {
		return domain.Case{}, fmt.Errorf("decode %s: %w", what, err)
	}
	return c, nil
}

// Case returns a case by id, or an error matching domain.ErrNotFound.
func (s *Store) Case(ctx context.Context, id string) (domain.Case, error) {
	return s.caseWhere(ctx, "case", "id = ?", id)
}

// CaseByNumber returns a case by its human number, or domain.ErrNotFound.
func (s *Store) CaseByNumber(ctx context.Context, number string) (domain.Case, error) {
	return s.caseWhere(ctx, "case number", "number = ?", number)
}

func (s *Store) casesWhere(ctx context.Context, where string, args ...any) ([]domain.Case, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM cases WHERE `+where+
		` ORDER BY submitted_at DESC, id`, args...)
	out, err := collect(rows, err, scanCase)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return out, nil
}

// CasesByResident lists a resident's cases, newest first.
func (s *Store) CasesByResident(ctx context.Context, residentID string) ([]domain.Case, error) {
	if residentID == "" {
		return nil, nil
	}
	return s.casesWhere(ctx, "resident_id = ?", residentID)
}

// StationCases lists every case of a station (all stations for ""), newest first; the
// board computes its figures from them with domain.ComputeRates.
func (s *Store) StationCases(ctx context.Context, station string) ([]domain.Case, error) {
	if station == "" {
		return s.casesWhere(ctx, "1 = 1")
	}
	return s.casesWhere(ctx, "station = ?", station)
}

// OpenCasesUnclaimed lists a station's submitted cases nobody has accepted yet, newest
// first: what a representative on duty may claim.
func (s *Store) OpenCasesUnclaimed(ctx context.Context, station string) ([]domain.Case, error) {
	return s.casesWhere(ctx, "station = ? AND state = ?", station, string(domain.StateSubmitted))
}

// Timeline returns every event of a case in the order it is folded (hub order, then local
// facts not yet sequenced), including events that did not take effect.
func (s *Store) Timeline(ctx context.Context, caseID string) ([]domain.Event, error) {
	return streamEvents(ctx, s.db, caseID)
}

// TimelineApplied is Timeline with, for each event, whether it took effect and why not.
func (s *Store) TimelineApplied(ctx context.Context, caseID string) ([]domain.Event, []domain.Applied, error) {
	evs, err := streamEvents(ctx, s.db, caseID)
	if err != nil {
		return nil, nil, err
	}
	_, applied := domain.Fold(evs, s.Rules())
	return evs, applied, nil
}

// Resident is the projection of a resident stream.
type Resident struct {
	ID string `json:"id"`
	domain.ResidentRegistered
	Station      string    `json:"station"`
	RegisteredAt time.Time `json:"registered_at"`
	ConsentedAt  time.Time `json:"consented_at"` // zero until the consent notice was accepted
}

func (s *Store) residentWhere(ctx context.Context, where string, arg any) (Resident, error) {
	var (
		r         Resident
		data      []byte
		reg, cons string
	)
	err := s.db.QueryRowContext(ctx, `SELECT id, station, registered_at, consented_at, data
		FROM residents WHERE `+where+` ORDER BY registered_at, id LIMIT 1`, arg).
		Scan(&r.ID, &r.Station, &reg, &cons, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("resident", "")
	}
	if err != nil {
		return r, fmt.Errorf("read resident: %w", err)
	}
	if string(data) != "null" {
		if err := json.Unmarshal(data, &r.ResidentRegistered); err != nil {
			return r, fmt.Errorf("decode resident %s: %w", r.ID, err)
		}
	}
	if r.RegisteredAt, err = parseTime(reg); err != nil {
		return r, err
	}
	r.ConsentedAt, err = parseTime(cons)
	return r, err
}

// Resident returns a registered resident by id, or domain.ErrNotFound.
func (s *Store) Resident(ctx context.Context, id string) (Resident, error) {
	return s.residentWhere(ctx, "id = ? AND registered_at <> ''", id)
}

// ResidentByHash finds a returning resident by the keyed hash of the ID number, or
// domain.ErrNotFound. When two kiosks registered the same person offline, the earliest
// registration is returned.
func (s *Store) ResidentByHash(ctx context.Context, hash string) (Resident, error) {
	if hash == "" {
		return Resident{}, notFound("resident", "")
	}
	return s.residentWhere(ctx, "id_hash = ?", hash)
}

// Ref returns the payload of one reference item (kind is a ref.* kind, id its stream), or
// domain.ErrNotFound.
func (s *Store) Ref(ctx context.Context, kind domain.Kind, id string) (json.RawMessage, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM ref WHERE kind = ? AND id = ?`, string(kind), id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound(string(kind), id)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", kind, id, err)
	}
	return data, nil
}

// Refs returns the payloads of every reference item of a kind, by id.
func (s *Store) Refs(ctx context.Context, kind domain.Kind) ([]json.RawMessage, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM ref WHERE kind = ? ORDER BY id`, string(kind))
	out, err := collect(rows, err, func(rows *sql.Rows) (json.RawMessage, error) {
		var data []byte
		err := rows.Scan(&data)
		return data, err
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", kind, err)
	}
	return out, nil
}

// WordList returns the words of one of the reference data's word lists (domain.WordsSensitive,
// domain.WordsHotStop); none when the hub has sent none.
func (s *Store) WordList(ctx context.Context, name string) ([]string, error) {
	raw, err := s.Ref(ctx, domain.KindWordListUpserted, "words:"+name)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var wl domain.WordList
	if err := json.Unmarshal(raw, &wl); err != nil {
		s.log.Warn("skip malformed word list", "name", name, "err", err)
		return nil, nil
	}
	return wl.Words, nil
}

// refsOf decodes every item of a kind; an item that does not decode is logged and left out
// rather than hiding the whole list.
func refsOf[T any](ctx context.Context, s *Store, kind domain.Kind) ([]T, error) {
	raw, err := s.Refs(ctx, kind)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(raw))
	for _, r := range raw {
		var v T
		if err := json.Unmarshal(r, &v); err != nil {
			s.log.Warn("skip malformed reference item", "kind", kind, "err", err)
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// Station returns a station's reference record by code, or domain.ErrNotFound.
func (s *Store) Station(ctx context.Context, code string) (domain.Station, error) {
	all, err := refsOf[domain.Station](ctx, s, domain.KindStationUpserted)
	if err != nil {
		return domain.Station{}, err
	}
	for _, st := range all {
		if st.Code == code {
			return st, nil
		}
	}
	return domain.Station{}, notFound("station", code)
}

// Categories lists the case categories in display order.
func (s *Store) Categories(ctx context.Context) ([]domain.Category, error) {
	out, err := refsOf[domain.Category](ctx, s, domain.KindCategoryUpserted)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Order < out[j].Order })
	return out, err
}

// OrgNodes lists the organisation's nodes (city, district, street) the hub has sent.
func (s *Store) OrgNodes(ctx context.Context) ([]domain.OrgNode, error) {
	return refsOf[domain.OrgNode](ctx, s, domain.KindOrgNodeUpserted)
}

// Representatives lists the representatives known to the station, by name.
func (s *Store) Representatives(ctx context.Context) ([]domain.Representative, error) {
	out, err := refsOf[domain.Representative](ctx, s, domain.KindRepresentativeUpserted)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Departments lists the handling units, by code.
func (s *Store) Departments(ctx context.Context) ([]domain.Department, error) {
	out, err := refsOf[domain.Department](ctx, s, domain.KindDepartmentUpserted)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, err
}

// Activities lists activities by start time.
func (s *Store) Activities(ctx context.Context) ([]domain.Activity, error) {
	out, err := refsOf[domain.Activity](ctx, s, domain.KindActivityUpserted)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Starts.Before(out[j].Starts) })
	return out, err
}

// Projects lists the 民生实事 projects.
func (s *Store) Projects(ctx context.Context) ([]domain.Project, error) {
	return refsOf[domain.Project](ctx, s, domain.KindProjectUpserted)
}

// LatestRanking is the 工作评议 ranking published last and not withdrawn; ok is false when
// there is none.
func (s *Store) LatestRanking(ctx context.Context) (r domain.DeptRanking, ok bool, err error) {
	all, err := refsOf[domain.DeptRanking](ctx, s, domain.KindDeptRankingUpserted)
	if err != nil {
		return r, false, err
	}
	for _, x := range all {
		if !x.Retired && (!ok || x.Published.After(r.Published)) {
			r, ok = x, true
		}
	}
	return r, ok, nil
}

// DutyToday returns the duty shifts of a day (YYYY-MM-DD, station local time).
func (s *Store) DutyToday(ctx context.Context, day string) ([]domain.DutyShift, error) {
	all, err := refsOf[domain.DutyShift](ctx, s, domain.KindDutyRosterUpserted)
	if err != nil {
		return nil, err
	}
	var out []domain.DutyShift
	for _, sh := range all {
		if sh.Day == day {
			out = append(out, sh)
		}
	}
	return out, nil
}

// SignedIn lists the representatives whose latest duty sign of the day (YYYY-MM-DD, station
// local time) is a sign-in.
func (s *Store) SignedIn(ctx context.Context, day string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rep_id FROM duty_signs d
		WHERE day = ? AND signed_in = 1 AND NOT EXISTS (
			SELECT 1 FROM duty_signs o WHERE o.day = d.day AND o.rep_id = d.rep_id
			AND (o.at > d.at OR (o.at = d.at AND o.event_id > d.event_id)))
		ORDER BY rep_id`, day)
	if err != nil {
		return nil, fmt.Errorf("signed in on %s: %w", day, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("signed in on %s: %w", day, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("signed in on %s: %w", day, err)
	}
	return out, nil
}

// ActivityCounts are the people taking part in an activity as this station knows it (with
// a place, waiting, or signed up and not yet answered), the places the hub confirmed, and
// the people checked in.
type ActivityCounts struct {
	SignedUp  int `json:"signed_up"`
	Confirmed int `json:"confirmed"`
	Waiting   int `json:"waiting"`
	Attended  int `json:"attended"`
}

// ActivityCounts counts an activity's sign-ups and distinct people checked in.
func (s *Store) ActivityCounts(ctx context.Context, activityID string) (ActivityCounts, error) {
	var c ActivityCounts
	rows, err := s.db.QueryContext(ctx, `SELECT `+signUpCols+` FROM signups WHERE activity_id = ?`, activityID)
	if err != nil {
		return c, fmt.Errorf("activity counts %s: %w", activityID, err)
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanSignUp(rows)
		if err != nil {
			return c, fmt.Errorf("activity counts %s: %w", activityID, err)
		}
		if u.TakesPart() {
			c.SignedUp++
		}
		switch u.Place {
		case domain.SignUpConfirmed:
			c.Confirmed++
		case domain.SignUpWaitlisted:
			c.Waiting++
		}
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("activity counts %s: %w", activityID, err)
	}
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM activity_marks
		WHERE activity_id = ? AND checked_in = 1`, activityID).Scan(&c.Attended)
	if err != nil {
		return c, fmt.Errorf("activity counts %s: %w", activityID, err)
	}
	return c, nil
}
