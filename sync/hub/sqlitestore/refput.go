package sqlitestore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// RefItem returns the current item of a reference kind with key, or store.ErrNotFound.
func (s *Store) RefItem(ctx context.Context, kind domain.Kind, key string) (json.RawMessage, error) {
	rk, ok := domain.LookupRefKind(string(kind))
	if !ok {
		return nil, fmt.Errorf("%s %s: %w", kind, key, store.ErrNotFound)
	}
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM refdata WHERE kind = ? AND key = ?`,
		string(rk.Kind), rk.Stream(key)).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s %s: %w", kind, key, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", kind, key, err)
	}
	return json.RawMessage(data), nil
}

// refRow is an item as the batch sees it: stored, or written earlier in the batch.
type refRow struct {
	data    []byte
	station string
}

// refBatch checks a PutRefs batch inside its transaction, seeing the items the batch
// writes before the one it checks.
type refBatch struct {
	ctx      context.Context
	tx       *sql.Tx
	lookup   *sql.Stmt         // an item by kind and stream
	pending  map[string]refRow // kind + "\x00" + key
	problems []store.RefProblem
	// served caches communitiesOf per station; a station or community written in the batch
	// clears it.
	served map[string][]string
}

// plan records an item the batch writes, for the checks of the items after it.
func (b *refBatch) plan(kind domain.Kind, key string, r refRow) {
	b.pending[string(kind)+"\x00"+key] = r
	if kind == domain.KindStationUpserted || kind == domain.KindCommunityUpserted {
		b.served = nil
	}
}

func (b *refBatch) item(kind domain.Kind, key string) (refRow, bool, error) {
	if r, ok := b.pending[string(kind)+"\x00"+key]; ok {
		return r, true, nil
	}
	rk, _ := domain.LookupRefKind(string(kind))
	var r refRow
	var data string
	err := b.lookup.QueryRowContext(b.ctx, string(kind), rk.Stream(key)).Scan(&data, &r.station)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("read %s %s: %w", kind, key, err)
	}
	r.data = []byte(data)
	return r, true, nil
}

func (b *refBatch) problem(i int, key, field, code string, kv ...string) {
	p := store.RefProblem{Index: i, Key: key, Field: field, Code: code}
	if len(kv) >= 2 {
		p.Params = map[string]string{}
		for j := 0; j+1 < len(kv); j += 2 {
			p.Params[kv[j]] = kv[j+1]
		}
	}
	b.problems = append(b.problems, p)
}

// exists adds a ref_dangling problem when the item of kind with key is not there.
func (b *refBatch) exists(i int, key, field string, kind domain.Kind, ref string) error {
	_, ok, err := b.item(kind, ref)
	if err != nil {
		return err
	}
	if !ok {
		rk, _ := domain.LookupRefKind(string(kind))
		b.problem(i, key, field, domain.CodeRefDangling, "kind", rk.Name, "key", ref)
	}
	return nil
}

// communitiesOf lists the community names and codes a station serves: its own list and the
// community items that name it.
func (b *refBatch) communitiesOf(station string) ([]string, error) {
	if cs, ok := b.served[station]; ok {
		return cs, nil
	}
	var out []string
	if r, ok, err := b.item(domain.KindStationUpserted, station); err != nil {
		return nil, err
	} else if ok {
		var st domain.Station
		if err := json.Unmarshal(r.data, &st); err == nil {
			out = append(out, st.Communities...)
		}
	}
	add := func(data []byte) {
		var c domain.Community
		if json.Unmarshal(data, &c) == nil && c.Station == station {
			out = append(out, c.Name, c.Code)
		}
	}
	rows, err := b.tx.QueryContext(b.ctx, `SELECT data FROM refdata WHERE kind = ?`, string(domain.KindCommunityUpserted))
	if err != nil {
		return nil, fmt.Errorf("read communities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("read communities: %w", err)
		}
		add([]byte(d))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read communities: %w", err)
	}
	for k, r := range b.pending {
		if strings.HasPrefix(k, string(domain.KindCommunityUpserted)+"\x00") {
			add(r.data)
		}
	}
	if b.served == nil {
		b.served = map[string][]string{}
	}
	b.served[station] = out
	return out, nil
}

// node checks the organisation node an item names exists and is of one of levels (any when
// nil); wrong is the problem when it is of another, with its parameters.
func (b *refBatch) node(i int, key, field, code string, levels []string, wrong ...string) error {
	if code == "" {
		return nil
	}
	r, ok, err := b.item(domain.KindOrgNodeUpserted, code)
	if err != nil || !ok {
		if err == nil {
			b.problem(i, key, field, domain.CodeRefDangling, "kind", "org_node", "key", code)
		}
		return err
	}
	var n domain.OrgNode
	_ = json.Unmarshal(r.data, &n)
	if levels != nil && !slices.Contains(levels, n.Level) {
		b.problem(i, key, field, wrong[0], wrong[1:]...)
	}
	return nil
}

// references checks the items one item names exist.
func (b *refBatch) references(i int, key string, kind domain.Kind, data []byte) error {
	var err error
	switch kind {
	case domain.KindOrgNodeUpserted:
		// a node hangs under a node of a higher level: a street under a district or a city
		var n domain.OrgNode
		_ = json.Unmarshal(data, &n)
		higher := domain.OrgLevels[:max(0, domain.LevelRank(n.Level))]
		err = b.node(i, key, "parent", n.Parent, higher, domain.CodeRefOrgParent)
	case domain.KindStationUpserted:
		var st domain.Station
		_ = json.Unmarshal(data, &st)
		err = b.node(i, key, "node", st.Node, []string{domain.LevelStreet}, domain.CodeRefOrgNotStreet, "key", st.Node)
	case domain.KindDepartmentUpserted, domain.KindCategoryUpserted:
		var x struct {
			Node string `json:"node"`
		}
		_ = json.Unmarshal(data, &x)
		err = b.node(i, key, "node", x.Node, nil)
	case domain.KindCommunityUpserted:
		var c domain.Community
		_ = json.Unmarshal(data, &c)
		err = b.exists(i, key, "station", domain.KindStationUpserted, c.Station)
	case domain.KindActivityUpserted, domain.KindProjectUpserted:
		var x struct {
			Station string   `json:"station"`
			Invited []string `json:"invited"` // an activity's invited representatives
		}
		_ = json.Unmarshal(data, &x)
		if err = b.exists(i, key, "station", domain.KindStationUpserted, x.Station); err != nil {
			return err
		}
		for j, id := range x.Invited {
			if err = b.exists(i, key, fmt.Sprintf("invited[%d]", j), domain.KindRepresentativeUpserted, id); err != nil {
				return err
			}
		}
	case domain.KindDutyRosterUpserted:
		var d domain.DutyShift
		_ = json.Unmarshal(data, &d)
		if err = b.exists(i, key, "station", domain.KindStationUpserted, d.Station); err != nil {
			return err
		}
		for j, id := range d.RepIDs {
			if err = b.exists(i, key, fmt.Sprintf("rep_ids[%d]", j), domain.KindRepresentativeUpserted, id); err != nil {
				return err
			}
		}
	case domain.KindRepresentativeUpserted:
		var r domain.Representative
		_ = json.Unmarshal(data, &r)
		var served []string
		for j, st := range r.Stations {
			if err = b.exists(i, key, fmt.Sprintf("stations[%d]", j), domain.KindStationUpserted, st); err != nil {
				return err
			}
			cs, err := b.communitiesOf(st)
			if err != nil {
				return err
			}
			served = append(served, cs...)
		}
		if len(r.Stations) == 0 {
			return nil
		}
		for j, c := range r.Communities {
			if !slices.Contains(served, c) {
				b.problem(i, key, fmt.Sprintf("communities[%d]", j), domain.CodeRefDangling, "kind", "community", "key", c)
			}
		}
	}
	return err
}

// PutRefs records reference items, all or none; see store.Reference.
func (s *Store) PutRefs(ctx context.Context, writes []store.RefWrite, actor domain.Actor) (store.RefResult, error) {
	var res store.RefResult
	err := s.write(ctx, func(a *appender) error {
		var err error
		res, err = s.putRefsIn(ctx, a, writes, actor)
		return err
	})
	if err != nil {
		var refused *store.RefRefused
		if errors.As(err, &refused) {
			return store.RefResult{}, refused
		}
		return store.RefResult{}, fmt.Errorf("put reference data: %w", err)
	}
	return res, nil
}

// putRefsIn is PutRefs inside a write transaction; *store.RefRefused when an item is refused.
func (s *Store) putRefsIn(ctx context.Context, a *appender, writes []store.RefWrite, actor domain.Actor) (store.RefResult, error) {
	var res store.RefResult
	err := func() error {
		lookup, err := a.sql().PrepareContext(ctx, `SELECT data, station FROM refdata WHERE kind = ? AND key = ?`)
		if err != nil {
			return err
		}
		defer lookup.Close()
		b := &refBatch{ctx: ctx, tx: a.sql(), lookup: lookup, pending: map[string]refRow{}}
		type planned struct {
			ev  domain.Event
			key string
		}
		var plan []planned
		for i, w := range writes {
			rk, ok := domain.LookupRefKind(string(w.Kind))
			if !ok {
				b.problem(i, w.Key, "", domain.CodeRefUnknownKind, "kind", string(w.Kind))
				continue
			}
			fps := domain.CheckRef(rk.Kind, w.Data)
			for _, p := range fps {
				b.problem(i, w.Key, p.Field, p.Code, flatten(p.Params)...)
			}
			if len(fps) > 0 {
				continue
			}
			key, err := domain.RefKey(rk.Kind, w.Data)
			if err != nil || key != w.Key {
				b.problem(i, w.Key, rk.KeyField, domain.CodeRefKeyMismatch, "key", w.Key)
				continue
			}
			norm, err := domain.RefNormalize(rk.Kind, w.Data)
			if err != nil {
				b.problem(i, w.Key, "", domain.CodeRefBadItem, "detail", err.Error())
				continue
			}
			cur, found, err := b.item(rk.Kind, key)
			if err != nil {
				return err
			}
			if found && w.Create {
				b.problem(i, key, rk.KeyField, domain.CodeRefDuplicate, "key", key)
				continue
			}
			n := len(b.problems)
			if err := b.references(i, key, rk.Kind, norm); err != nil {
				return err
			}
			if len(b.problems) > n {
				continue
			}
			if found {
				if old, err := domain.RefNormalize(rk.Kind, cur.data); err == nil && bytes.Equal(old, norm) {
					res.Unchanged++
					continue
				}
			}
			scope := domain.RefScope(rk.Kind, norm)
			if found && cur.station != scope {
				scope = ""
			}
			b.plan(rk.Kind, key, refRow{data: norm, station: scope})
			plan = append(plan, planned{key: key, ev: domain.Event{Station: scope, Stream: rk.Stream(key),
				Kind: rk.Kind, At: s.now().UTC(), Actor: actor, Data: norm}})
		}
		if len(b.problems) > 0 {
			return &store.RefRefused{Problems: b.problems}
		}
		for _, p := range plan {
			ev, err := s.appendProjected(a, p.ev, true)
			if err != nil {
				return fmt.Errorf("%s %s: %w", p.ev.Kind, p.key, err)
			}
			res.Events = append(res.Events, ev)
		}
		return nil
	}()
	if err != nil {
		return store.RefResult{}, err
	}
	return res, nil
}

func flatten(m map[string]string) []string {
	out := make([]string, 0, 2*len(m))
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}
