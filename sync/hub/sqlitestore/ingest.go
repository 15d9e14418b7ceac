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

// ApplyFacts implements the sync endpoint's Store. Every new fact is checked completely before
// it is admitted: its content by domain.ValidateFact against the device (station, code, role)
// and the hub's clock, then its place in the hub's state (its id and case number are new, it
// acts on its own station's case or activity). The first fact that fails stops the batch with
// an error wrapping ErrInvalidFact and the *domain.FactError; the facts before it are kept. A
// case fact that is illegal against the current projection is still appended; a losing
// concurrent claim (accept) is then resolved by a hub case.cohandler event that keeps the
// later representative on the case as co-handler. Resolution follows log order only, so
// replaying the log gives the same result.
func (s *Store) ApplyFacts(ctx context.Context, device string, facts []domain.Event) (store.ApplyResult, error) {
	var res store.ApplyResult
	dev, err := s.Device(ctx, device)
	if err != nil {
		return res, fmt.Errorf("apply facts: %w", err)
	}
	if dev.Revoked {
		return res, fmt.Errorf("apply facts from %s: %w", device, store.ErrRevoked)
	}
	// The content checks need no lock: they run before the upload queues, like the encoding.
	invalid := validateFacts(dev, facts, s.now())
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
		for i, f := range facts {
			if f.DevSeq <= res.LastDevSeq {
				res.Duplicates++
				continue
			}
			if f.DevSeq != res.LastDevSeq+1 {
				stop = fmt.Errorf("%w: device %s at %d, fact %d", store.ErrSequenceGap, device, res.LastDevSeq, f.DevSeq)
				break
			}
			if invalid[i] != nil {
				stop = refusal(f, invalid[i])
				break
			}
			if ferr, err := s.checkState(a, f); err != nil {
				return err
			} else if ferr != nil {
				stop = refusal(f, ferr)
				break
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

// validateFacts checks each fact's content; the result holds nil for a fact that passed.
func validateFacts(dev store.Device, facts []domain.Event, now time.Time) []error {
	from := domain.Origin{Device: dev.ID, Station: dev.Station, Code: dev.Code, Role: dev.Role}
	out := make([]error, len(facts))
	for i := range facts {
		if err := domain.ValidateFact(facts[i], from, now); err != nil {
			out[i] = err
		}
	}
	return out
}

// refusal is the error ApplyFacts stops with at an invalid fact: ErrInvalidFact for the
// endpoint, the *domain.FactError for its code.
func refusal(f domain.Event, ferr error) error {
	return fmt.Errorf("%w: fact %.40s (dev_seq %d): %w", ErrInvalidFact, f.ID, f.DevSeq, ferr)
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

// checkState checks a valid fact against the hub's state as of this transaction: a new event
// id; a case fact on no other station's case; a submission of a case and a number nobody
// holds (a number is never re-pointed to another case); an activity mark on an activity of
// the device's station. It returns the refusal, or an error of the store.
func (s *Store) checkState(a *appender, f domain.Event) (refused *domain.FactError, err error) {
	exists, err := a.idInLog(f.ID)
	if err != nil {
		return nil, fmt.Errorf("look up event %s: %w", f.ID, err)
	}
	if exists {
		return &domain.FactError{Code: domain.CodeDuplicateID, Field: "id", Detail: "already in the log"}, nil
	}
	switch {
	case f.Kind.IsCase():
		return s.checkCaseState(a, f)
	case f.Kind == domain.KindActivitySignedUp || f.Kind == domain.KindActivityCheckedIn ||
		f.Kind == domain.KindActivitySignUpCancelled:
		id := f.Stream[len("activity:"):] // the validator checked the form
		act, err := activityIn(a.ctx, a.txn, id)
		if errors.Is(err, store.ErrActivityNotFound) || (err == nil && act.Station != f.Station) {
			return &domain.FactError{Code: domain.CodeForeign, Field: "data.activity_id",
				Detail: fmt.Sprintf("%.40q is not an activity of station %s", id, f.Station)}, nil
		}
		return nil, err
	}
	return nil, nil
}

func (s *Store) checkCaseState(a *appender, f domain.Event) (*domain.FactError, error) {
	c, err := a.caseOf(f.Stream)
	if err != nil {
		return nil, err
	}
	if c.State != domain.StateNew && c.Station != f.Station {
		return &domain.FactError{Code: domain.CodeForeign, Field: "stream",
			Detail: fmt.Sprintf("a case of station %s", c.Station)}, nil
	}
	if f.Kind != domain.KindCaseSubmitted {
		return nil, nil
	}
	if c.State != domain.StateNew {
		return &domain.FactError{Code: domain.CodeCaseExists, Field: "stream", Detail: "the case was submitted before"}, nil
	}
	number, err := submittedNumber(f)
	if err != nil {
		return nil, err
	}
	holder, err := a.caseWithNumber(number)
	if err != nil {
		return nil, err
	}
	if holder != "" {
		return &domain.FactError{Code: domain.CodeCaseExists, Field: "data.number",
			Detail: fmt.Sprintf("%.40q belongs to another case", number)}, nil
	}
	return nil, nil
}

func submittedNumber(f domain.Event) (string, error) {
	var p struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal(f.Data, &p); err != nil {
		return "", fmt.Errorf("read number of %s: %w", f.ID, err)
	}
	return p.Number, nil
}

// caseWithNumber is the id of the case holding a number as of this transaction, or "".
func (a *appender) caseWithNumber(number string) (string, error) {
	if id, ok := a.numbers[number]; ok {
		return id, nil
	}
	var id string
	err := a.stmt(a.hot.caseByNumber).QueryRowContext(a.ctx, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("look up case number: %w", err)
	}
	return id, nil
}
