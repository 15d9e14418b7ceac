package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// hubActor signs the events the hub originates on its own (resolutions, automatic closes).
var hubActor = domain.Actor{Role: domain.RoleSystem, ID: domain.HubDevice, Name: "系统"}

// loadCase reads a case's projection; a case never seen is the zero Case (StateNew).
func loadCase(ctx context.Context, q queryer, id string) (domain.Case, error) {
	var c domain.Case
	var data string
	err := q.QueryRowContext(ctx, `SELECT data FROM cases WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read case %s: %w", id, err)
	}
	return decodeCase(id, data)
}

func decodeCase(id, data string) (domain.Case, error) {
	var c domain.Case
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return c, fmt.Errorf("decode case %s: %w", id, err)
	}
	return c, nil
}

// appendCaseArgs appends a case projection's caseCols values for the upsert statements.
func appendCaseArgs(args []any, c domain.Case, seq int64) ([]any, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return args, fmt.Errorf("encode case %s: %w", c.ID, err)
	}
	return append(args, c.ID, c.Station, c.Number, c.Token, string(c.State), c.Category,
		c.SubmittedAt.UTC().Format(time.RFC3339Nano), seq, string(b)), nil
}

// appendProjected appends ev (as the hub's own event when hub is set) and updates the
// projections. A case event that is illegal where it falls is kept in the log but leaves the
// case as it was, exactly as domain.Fold treats it; the returned error is nil either way.
// It returns the stored event and the case's state before and after (zero for non-case).
func (s *Store) appendProjected(a *appender, ev domain.Event, hub bool) (domain.Event, error) {
	out, _, err := s.appendFolded(a, ev, hub)
	return out, err
}

// appendFolded is appendProjected that also reports the transition error of a case event.
func (s *Store) appendFolded(a *appender, ev domain.Event, hub bool) (stored domain.Event, refused, err error) {
	if hub {
		ev, err = a.appendHub(ev)
	} else {
		ev, err = a.append(ev)
	}
	if err != nil {
		return ev, nil, err
	}
	refused, err = s.fold(a, ev)
	return ev, refused, err
}

// fold updates the projections with one stored event and reports the transition error of a
// case event that does not take effect.
func (s *Store) fold(a *appender, ev domain.Event) (refused, err error) {
	switch {
	case isRef(ev.Kind):
		return nil, projectRef(a.ctx, a.txn, ev) // refdata only: held-back log rows do not matter
	case ev.Kind.IsCase():
		c, err := a.caseOf(ev.Stream)
		if err != nil {
			return nil, err
		}
		next, terr := domain.Transition(c, ev, s.rules)
		if terr != nil {
			return terr, nil
		}
		a.putCase(next, ev.HubSeq)
		a.deskTouch(ev, s.rules)
	}
	return nil, nil
}

// project is fold for a rebuild, where refusals are expected and silent.
func (s *Store) project(a *appender, ev domain.Event) error {
	_, err := s.fold(a, ev)
	return err
}

// ApplyFacts implements the sync endpoint's Store. A fact must come from device, belong to the
// device's station and not be reference data (ErrInvalidFact otherwise; nothing from it on is
// applied). A case fact that is illegal against the current projection is still appended; a
// losing concurrent claim (accept) is then resolved by a hub case.cohandler event that keeps
// the later representative on the case as co-handler. Resolution follows log order only,
// so replaying the log gives the same result.
func (s *Store) ApplyFacts(ctx context.Context, device string, facts []domain.Event) (store.ApplyResult, error) {
	var res store.ApplyResult
	dev, err := s.Device(ctx, device)
	if err != nil {
		return res, fmt.Errorf("apply facts: %w", err)
	}
	if dev.Revoked {
		return res, fmt.Errorf("apply facts from %s: %w", device, store.ErrRevoked)
	}
	facts, heads := prepareFacts(facts)
	var stop error
	err = s.writeGrouped(ctx, len(facts), func(a *appender) error {
		res, stop = store.ApplyResult{}, nil
		a.heads = heads
		defer func() { a.heads = nil }()
		last, err := a.devSeq(device)
		if err != nil {
			return err
		}
		res.LastDevSeq = last
		if err := preloadBatch(a, facts, last); err != nil {
			return err
		}
		for _, f := range facts {
			if f.DevSeq <= res.LastDevSeq {
				res.Duplicates++
				continue
			}
			if f.DevSeq != res.LastDevSeq+1 {
				stop = fmt.Errorf("%w: device %s at %d, fact %d", store.ErrSequenceGap, device, res.LastDevSeq, f.DevSeq)
				break
			}
			if err := checkFact(dev, f); err != nil {
				stop = err
				break
			}
			if err := checkScope(a, f); errors.Is(err, ErrInvalidFact) {
				stop = err
				break
			} else if err != nil {
				return err
			}
			if err := s.applyFact(a, f); err != nil {
				return err
			}
			res.Applied++
			res.LastDevSeq = f.DevSeq
		}
		if res.Applied > 0 {
			a.setDevSeq(device, res.LastDevSeq)
		}
		res.LastSeq = a.seq
		return nil
	})
	if err != nil {
		return store.ApplyResult{}, fmt.Errorf("apply facts from %s: %w", device, err)
	}
	return res, stop
}

// preloadBatch reads, with one query each, which of the batch's new facts' ids the log
// already holds and the projections of the cases they touch, so the per-fact checks below
// find them in the transaction's caches.
func preloadBatch(a *appender, facts []domain.Event, last int64) error {
	ids := make([]string, 0, len(facts))
	var streams []string
	for _, f := range facts {
		if f.DevSeq <= last {
			continue
		}
		ids = append(ids, f.ID)
		if f.Kind.IsCase() {
			streams = append(streams, f.Stream)
		}
	}
	if err := a.preloadIDs(ids); err != nil {
		return err
	}
	return a.preloadCases(streams)
}

func checkFact(dev store.Device, f domain.Event) error {
	switch {
	case f.ID == "" || f.Kind == "":
		return fmt.Errorf("%w: fact %d has no id or kind", ErrInvalidFact, f.DevSeq)
	case f.Device != dev.ID:
		return fmt.Errorf("%w: fact %s names device %q", ErrInvalidFact, f.ID, f.Device)
	case f.Station != dev.Station:
		return fmt.Errorf("%w: fact %s for station %q from a device of %q", ErrInvalidFact, f.ID, f.Station, dev.Station)
	case isRef(f.Kind):
		return fmt.Errorf("%w: fact %s: only the hub records %s", ErrInvalidFact, f.ID, f.Kind)
	case !deviceRole(f.Actor.Role):
		// Staff, departments and the system act at the hub; a station claiming their role
		// would be granting itself their powers over cases.
		return fmt.Errorf("%w: fact %s: a station cannot record the role %q", ErrInvalidFact, f.ID, f.Actor.Role)
	case len(f.Data) > 0 && !json.Valid(f.Data):
		return fmt.Errorf("%w: fact %s: payload is not JSON", ErrInvalidFact, f.ID)
	}
	return nil
}

// deviceRole reports whether a station may record facts of actors in the role.
func deviceRole(r domain.Role) bool {
	switch r {
	case domain.RoleResident, domain.RoleAnonymous, domain.RoleRepresentative:
		return true
	}
	return false
}

// checkScope refuses a case fact on another station's case and a reused event id: both are
// device bugs, not conflicts to resolve. A *domain.TransitionError never comes from here.
func checkScope(a *appender, f domain.Event) error {
	exists, err := a.idInLog(f.ID)
	if err != nil {
		return fmt.Errorf("look up event %s: %w", f.ID, err)
	}
	if exists {
		return fmt.Errorf("%w: event id %s already in the log", ErrInvalidFact, f.ID)
	}
	if !f.Kind.IsCase() {
		return nil
	}
	c, err := a.caseOf(f.Stream)
	if err != nil {
		return err
	}
	if c.State != domain.StateNew && c.Station != f.Station {
		return fmt.Errorf("%w: fact %s of station %s on a case of station %s", ErrInvalidFact, f.ID, f.Station, c.Station)
	}
	return nil
}

// applyFact appends one device fact and, when it is a losing claim, its resolution.
func (s *Store) applyFact(a *appender, f domain.Event) error {
	var before domain.Case
	if f.Kind.IsCase() {
		var err error
		if before, err = a.caseOf(f.Stream); err != nil {
			return err
		}
	}
	ev, terr, err := s.appendFolded(a, f, false)
	if err == nil && f.Kind == domain.KindActivitySignedUp {
		return s.resolveSignUp(a, ev)
	}
	if err != nil || terr == nil {
		return err
	}
	s.log.Info("fact recorded without effect", "event", ev.ID, "kind", ev.Kind, "seq", ev.HubSeq, "reason", terr)
	if f.Kind != domain.KindCaseAccepted || before.RepID == "" || f.Actor.Role != domain.RoleRepresentative ||
		f.Actor.ID == "" || f.Actor.ID == before.RepID {
		return nil
	}
	data, err := json.Marshal(domain.CaseCoHandler{RepID: f.Actor.ID, RepName: f.Actor.Name,
		Reason: "同一事项已由其他代表先行领办，按到达顺序改为协办"})
	if err != nil {
		return fmt.Errorf("encode co-handler: %w", err)
	}
	res := domain.Event{Station: f.Station, Stream: f.Stream, Kind: domain.KindCaseCoHandler,
		At: s.now().UTC(), Actor: hubActor, Data: data}
	_, err = s.appendProjected(a, res, true)
	return err
}

// Act records a staff action on a case, strictly: the event must be a legal transition of the
// current projection (domain.Transition), otherwise the *domain.TransitionError is returned
// and nothing is appended. caseID is the case's id (its stream).
func (s *Store) Act(ctx context.Context, caseID string, kind domain.Kind, actor domain.Actor, payload any) (domain.Event, error) {
	data, err := json.Marshal(payload)
	if err != nil {
		return domain.Event{}, fmt.Errorf("act %s on %s: encode payload: %w", kind, caseID, err)
	}
	var out domain.Event
	err = s.write(ctx, func(a *appender) error {
		c, err := a.caseOf(caseID)
		if err != nil {
			return err
		}
		if c.State == domain.StateNew {
			return fmt.Errorf("case %s: %w", caseID, store.ErrNotFound)
		}
		ev := domain.Event{Station: c.Station, Stream: c.ID, Kind: kind, At: s.now().UTC(),
			Actor: actor, Data: data}
		if _, err := domain.Transition(c, ev, s.rules); err != nil {
			return err
		}
		out, err = s.appendProjected(a, ev, true)
		return err
	})
	if err != nil {
		return domain.Event{}, fmt.Errorf("act %s on %s: %w", kind, caseID, err)
	}
	return out, nil
}

// CloseUnrated closes, as the hub, every replied case whose rating window has passed, and
// returns how many it closed.
func (s *Store) CloseUnrated(ctx context.Context) (int, error) {
	now := s.now().UTC()
	cases, err := s.Cases(ctx, store.CaseFilter{State: domain.StateReplied})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cases {
		if now.Before(s.rules.RatingDeadline(c.RepliedAt)) {
			continue
		}
		_, err := s.Act(ctx, c.ID, domain.KindCaseClosed, hubActor, domain.CaseNote{Note: "评价期已过，系统自动办结。"})
		var te *domain.TransitionError
		if errors.As(err, &te) {
			continue // rated or changed meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
