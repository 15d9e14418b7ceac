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
	if refused, err = s.fold(a, ev); err == nil && settlesRoster(ev.Kind) {
		err = s.settleRoster(a, ev)
	}
	return ev, refused, err
}

// fold updates the projections with one stored event and reports the transition error of a
// case event that does not take effect.
func (s *Store) fold(a *appender, ev domain.Event) (refused, err error) {
	switch {
	case isRef(ev.Kind):
		if rulesKind(ev.Kind) {
			a.rulesRead, a.rulesChanged = false, true
		}
		return nil, projectRef(a.ctx, a.txn, ev) // refdata only: held-back log rows do not matter
	case ev.Kind.IsCase():
		c, err := a.caseOf(ev.Stream)
		if err != nil {
			return nil, err
		}
		rules, err := s.txRules(a)
		if err != nil {
			return nil, err
		}
		next, terr := domain.Transition(c, ev, rules)
		if terr != nil {
			return terr, nil
		}
		a.putCase(next, ev.HubSeq)
		a.deskTouch(ev, rules)
	}
	return nil, nil
}

// project is fold for a rebuild, where refusals are expected and silent.
func (s *Store) project(a *appender, ev domain.Event) error {
	_, err := s.fold(a, ev)
	return err
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
	return s.ActVersion(ctx, caseID, 0, kind, actor, payload)
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
