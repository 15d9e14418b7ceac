package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

const swapCols = `id, rep_id, rep_name, station, day, colleague, reason, state, replacement, note,
	created_at, decided_at, decided_by`

func scanSwap(r scanner) (store.DutySwap, error) {
	var x store.DutySwap
	var created, decided int64
	err := r.Scan(&x.ID, &x.RepID, &x.RepName, &x.Station, &x.Day, &x.Colleague, &x.Reason, &x.State,
		&x.Replacement, &x.Note, &created, &decided, &x.DecidedBy)
	x.Created = time.Unix(0, created).UTC()
	if decided != 0 {
		x.Decided = time.Unix(0, decided).UTC()
	}
	return x, err
}

// CreateDutySwap records a pending swap request and returns it with its id and time. It
// answers store.ErrSwapPending when the representative already has one pending for the day.
// Whether the representative is on duty that day is the caller's to check.
func (s *Store) CreateDutySwap(ctx context.Context, x store.DutySwap) (store.DutySwap, error) {
	x.State, x.Created = store.SwapPending, s.now().UTC()
	x.Replacement, x.Note, x.Decided, x.DecidedBy = "", "", time.Time{}, ""
	err := s.userWrite(ctx, "create duty swap", func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM duty_swaps
			WHERE rep_id = ? AND station = ? AND day = ? AND state = ?`,
			x.RepID, x.Station, x.Day, store.SwapPending).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return store.ErrSwapPending
		}
		return tx.QueryRowContext(ctx, `INSERT INTO duty_swaps(rep_id, rep_name, station, day, colleague, reason,
			state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			x.RepID, x.RepName, x.Station, x.Day, x.Colleague, x.Reason, x.State, x.Created.UnixNano()).Scan(&x.ID)
	})
	return x, err
}

// DutySwap returns one swap request, or store.ErrNotFound.
func (s *Store) DutySwap(ctx context.Context, id int64) (store.DutySwap, error) {
	x, err := scanSwap(s.db.QueryRowContext(ctx, `SELECT `+swapCols+` FROM duty_swaps WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, store.ErrNotFound
	}
	if err != nil {
		return x, fmt.Errorf("read duty swap %d: %w", id, err)
	}
	return x, nil
}

// DutySwaps lists swap requests, the newest first.
func (s *Store) DutySwaps(ctx context.Context, f store.SwapFilter) ([]store.DutySwap, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+swapCols+` FROM duty_swaps
		WHERE (? = '' OR rep_id = ?) AND (? = '' OR state = ?) ORDER BY created_at DESC, id DESC`,
		f.RepID, f.RepID, f.State, f.State)
	if err != nil {
		return nil, fmt.Errorf("list duty swaps: %w", err)
	}
	defer rows.Close()
	out := []store.DutySwap{}
	for rows.Next() {
		x, err := scanSwap(rows)
		if err != nil {
			return nil, fmt.Errorf("list duty swaps: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// DecideDutySwap approves or rejects a pending swap request. Approval takes the requester off
// the duty day and puts replacement in their place ("" takes them off only), written as a
// ref.duty_roster fact by actor (the hub log's record of who changed the roster, and what
// stations receive) in the same transaction as the decision. It answers store.ErrNotFound,
// store.ErrSwapDecided, store.ErrSwapStale (the requester is no longer on duty that day, or
// the replacement already is) or the *store.RefRefused of the roster write.
func (s *Store) DecideDutySwap(ctx context.Context, id int64, approve bool, replacement, note string,
	actor domain.Actor) (store.DutySwap, store.RefResult, error) {
	var x store.DutySwap
	var res store.RefResult
	err := s.write(ctx, func(a *appender) error {
		var err error
		x, err = scanSwap(a.sql().QueryRowContext(ctx, `SELECT `+swapCols+` FROM duty_swaps WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if x.State != store.SwapPending {
			return store.ErrSwapDecided
		}
		x.State, x.Note, x.Decided, x.DecidedBy = store.SwapRejected, note, s.now().UTC(), actor.Name
		if approve {
			x.State, x.Replacement = store.SwapApproved, replacement
			key := x.Station + ":" + x.Day
			rk, _ := domain.LookupRefKind(string(domain.KindDutyRosterUpserted))
			var data []byte
			err := a.sql().QueryRowContext(ctx, `SELECT data FROM refdata WHERE kind = ? AND key = ?`,
				string(rk.Kind), rk.Stream(key)).Scan(&data)
			if errors.Is(err, sql.ErrNoRows) {
				return store.ErrSwapStale
			}
			if err != nil {
				return err
			}
			var shift domain.DutyShift
			if err := json.Unmarshal(data, &shift); err != nil {
				return fmt.Errorf("decode duty day %s: %w", key, err)
			}
			at := slices.Index(shift.RepIDs, x.RepID)
			if at < 0 || (replacement != "" && slices.Contains(shift.RepIDs, replacement)) {
				return store.ErrSwapStale
			}
			if replacement == "" {
				shift.RepIDs = slices.Delete(shift.RepIDs, at, at+1)
			} else {
				shift.RepIDs[at] = replacement
			}
			next, err := json.Marshal(shift)
			if err != nil {
				return err
			}
			if res, err = s.putRefsIn(ctx, a, []store.RefWrite{{Kind: domain.KindDutyRosterUpserted, Key: key, Data: next}}, actor); err != nil {
				return err
			}
		}
		_, err = a.sql().ExecContext(ctx, `UPDATE duty_swaps SET state = ?, replacement = ?, note = ?, decided_at = ?,
			decided_by = ? WHERE id = ?`, x.State, x.Replacement, x.Note, x.Decided.UnixNano(), x.DecidedBy, x.ID)
		return err
	})
	if err != nil {
		var refused *store.RefRefused
		if errors.As(err, &refused) {
			return x, store.RefResult{}, refused
		}
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrSwapDecided) || errors.Is(err, store.ErrSwapStale) {
			return x, store.RefResult{}, err
		}
		return x, store.RefResult{}, fmt.Errorf("decide duty swap %d: %w", id, err)
	}
	return x, res, nil
}
