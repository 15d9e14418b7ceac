package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
)

// Record commits facts that happened at this device. In one transaction, durable when
// Record returns, it:
//
//   - fills each event's ID (a UUIDv7, when empty), Device (this device), DevSeq (the next
//     gapless sequence), Station (this station, when empty), At (the clock, when zero) and
//     clears HubSeq; a case submission with no Stream gets a new case id, and one whose
//     CaseSubmitted payload has no Number or Token gets them (see NextCaseCounter);
//   - validates every case event strictly with domain.Transition against the current
//     projection (including earlier events of the same call) and returns the
//     *domain.TransitionError as is when one is illegal, recording nothing;
//   - writes the events and the projections they change. The sync client uploads the
//     events of this device after the hub's acknowledged DevSeq (LocalFactsAfter).
//
// It returns the events as stored. Reference-data kinds (ref.*) come only from the hub and
// are refused with ErrInvalidEvent.
func (s *Store) Record(ctx context.Context, evs ...domain.Event) ([]domain.Event, error) {
	return s.record(ctx, evs, nil)
}

// Submit records one case submission given as its payload, as Record would, and returns the
// event as stored and the payload as recorded (numbered, and with a token when it had none).
// The payload is encoded once, in the transaction, after its number is allocated; Record
// with a submission must decode the JSON it is given to number it and encode it again, and
// its caller decode the result to learn the number. ev.Data is ignored.
func (s *Store) Submit(ctx context.Context, ev domain.Event, p domain.CaseSubmitted) (domain.Event, domain.CaseSubmitted, error) {
	ev.Kind, ev.Data = domain.KindCaseSubmitted, nil
	out, err := s.record(ctx, []domain.Event{ev}, &p)
	if err != nil {
		return domain.Event{}, domain.CaseSubmitted{}, err
	}
	return out[0], p, nil
}

// record is Record; sub, when not nil, is the payload of the one submission in evs, filled in
// place.
func (s *Store) record(ctx context.Context, evs []domain.Event, sub *domain.CaseSubmitted) ([]domain.Event, error) {
	if len(evs) == 0 {
		return nil, nil
	}
	out := make([]domain.Event, 0, len(evs))
	err := s.write(ctx, "record", func(tx *sql.Tx) error {
		id, err := s.identity(ctx, tx)
		if err != nil {
			return err
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(dev_seq), 0) FROM events WHERE own = 1`).
			Scan(&last); err != nil {
			return fmt.Errorf("record: last sequence: %w", err)
		}
		cases := map[string]domain.Case{}
		for _, ev := range evs {
			last++
			ev, err := s.prepare(ctx, tx, ev, id, last, sub)
			if err != nil {
				return err
			}
			if err := s.recordOne(ctx, tx, ev, cases); err != nil {
				return err
			}
			out = append(out, ev)
		}
		for _, c := range cases {
			if err := saveCase(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type identity struct{ device, deviceCode, station string }

func (s *Store) identity(ctx context.Context, q queryer) (identity, error) {
	var id identity
	var err error
	if id.device, err = getMeta(ctx, q, MetaDeviceID); err != nil {
		return id, err
	}
	if id.station, err = getMeta(ctx, q, MetaStation); err != nil {
		return id, err
	}
	if id.deviceCode, err = getMeta(ctx, q, MetaDeviceCode); err != nil {
		return id, err
	}
	if id.device == "" || id.station == "" {
		return id, fmt.Errorf("record: %w: device id and station code are required", ErrNotProvisioned)
	}
	return id, nil
}

// prepare fills in what the store owns and checks the event's shape. sub is the payload of a
// submission given typed (Submit), or nil.
func (s *Store) prepare(ctx context.Context, tx *sql.Tx, ev domain.Event, id identity, seq int64, sub *domain.CaseSubmitted) (domain.Event, error) {
	if ev.Kind == "" || strings.HasPrefix(string(ev.Kind), "ref.") {
		return ev, fmt.Errorf("record %q: %w: not a fact a station records", ev.Kind, ErrInvalidEvent)
	}
	if sub == nil && len(ev.Data) > 0 && !json.Valid(ev.Data) {
		return ev, fmt.Errorf("record %s: %w: payload is not JSON", ev.Kind, ErrInvalidEvent)
	}
	if ev.ID == "" {
		ev.ID = domain.NewEventID()
	}
	if ev.At.IsZero() {
		ev.At = s.now()
	}
	ev.At = ev.At.UTC()
	ev.Device, ev.DevSeq, ev.HubSeq = id.device, seq, 0
	if ev.Station == "" {
		ev.Station = id.station
	}
	if ev.Stream == "" {
		if ev.Kind.IsCase() && ev.Kind != domain.KindCaseSubmitted {
			return ev, fmt.Errorf("record %s: %w: no case id", ev.Kind, ErrInvalidEvent)
		}
		ev.Stream = domain.NewEventID()
	}
	if ev.Kind == domain.KindCaseSubmitted {
		var err error
		if ev.Data, err = s.fillSubmission(ctx, tx, ev, id, sub); err != nil {
			return ev, err
		}
	}
	return ev, nil
}

// fillSubmission gives a submission its number and token when the caller left them empty and
// returns its payload as JSON. p is the payload given typed, filled in place, or nil to read
// it from ev.Data.
func (s *Store) fillSubmission(ctx context.Context, tx *sql.Tx, ev domain.Event, id identity, p *domain.CaseSubmitted) (json.RawMessage, error) {
	if p == nil {
		p = new(domain.CaseSubmitted)
		if len(ev.Data) > 0 {
			if err := json.Unmarshal(ev.Data, p); err != nil {
				return nil, fmt.Errorf("record submission: %w: %v", ErrInvalidEvent, err)
			}
		}
		if p.Number != "" && p.Token != "" {
			return ev.Data, nil
		}
	}
	if p.Token == "" {
		p.Token = domain.NewToken()
	}
	if p.Number == "" {
		code := id.deviceCode
		if code == "" {
			return nil, fmt.Errorf("record submission: %w: device code is required for case numbers", ErrNotProvisioned)
		}
		day := ev.At.In(s.Location())
		n, err := s.nextCounter(ctx, tx, id.station, code, day)
		if err != nil {
			return nil, err
		}
		p.Number = domain.CaseNumber(id.station, code, day, n)
	}
	return marshal(p)
}

func (s *Store) recordOne(ctx context.Context, tx *sql.Tx, ev domain.Event, cases map[string]domain.Case) error {
	if ev.Kind.IsCase() {
		c, ok := cases[ev.Stream]
		if !ok {
			var err error
			if c, err = loadCase(ctx, tx, ev.Stream); err != nil {
				return err
			}
		}
		next, err := domain.Transition(c, ev, s.Rules())
		if err != nil {
			return err // the *TransitionError, unwrapped, for the caller to show
		}
		cases[ev.Stream] = next
	}
	if err := insertEvent(ctx, tx, ev, true); err != nil {
		return err
	}
	if !ev.Kind.IsCase() {
		return s.project(ctx, tx, ev)
	}
	return nil
}

// NextCaseCounter reserves and returns this device's next case counter for the day (in the
// stations' local time), starting at 1. Record calls the same logic inside its own
// transaction when a submission has no number, which is the usual way; call this only to
// show a number before recording. A counter already used by a known case (for example after
// the store was recreated and cases came back from the hub) is skipped.
func (s *Store) NextCaseCounter(ctx context.Context, day time.Time) (int, error) {
	var n int
	err := s.write(ctx, "next case counter", func(tx *sql.Tx) error {
		id, err := s.identity(ctx, tx)
		if err != nil {
			return err
		}
		if id.deviceCode == "" {
			return fmt.Errorf("next case counter: %w: device code is required", ErrNotProvisioned)
		}
		n, err = s.nextCounter(ctx, tx, id.station, id.deviceCode, day.In(s.Location()))
		return err
	})
	return n, err
}

func (s *Store) nextCounter(ctx context.Context, tx *sql.Tx, station, code string, day time.Time) (int, error) {
	key := metaCounter + day.Format("20060102")
	n, err := getMetaInt(ctx, tx, key)
	if err != nil {
		return 0, err
	}
	for {
		n++
		var exists int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE number = ?`,
			domain.CaseNumber(station, code, day, int(n))).Scan(&exists)
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("check case number: %w", err)
		}
	}
	if err := setMeta(ctx, tx, key, strconv.FormatInt(n, 10)); err != nil {
		return 0, err
	}
	return int(n), nil
}
