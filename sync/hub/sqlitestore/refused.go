package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// maxReason keeps a refusal's stored reason short; the full error is in the hub's log.
const maxReason = 500

// RefuseFact implements the sync endpoint's FactRefuser: the fact is kept in refused_facts and the
// device's sequence moves past it in the same transaction, without touching the log.
func (s *Store) RefuseFact(ctx context.Context, device string, f domain.Event, reason string) (store.ApplyResult, error) {
	var res store.ApplyResult
	raw, err := json.Marshal(f)
	if err != nil {
		// A payload that is not JSON is a common reason for refusal: keep its bytes as a string.
		kept := f
		kept.Data, _ = json.Marshal(string(f.Data))
		if raw, err = json.Marshal(kept); err != nil {
			return res, fmt.Errorf("refuse fact %s: %w", f.ID, err)
		}
	}
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	var stop error
	err = s.write(ctx, func(a *appender) error {
		last, err := a.devSeq(device)
		if err != nil {
			return err
		}
		res.LastDevSeq, res.LastSeq = last, a.seq
		switch {
		case f.DevSeq <= last:
			res.Duplicates = 1
			return nil
		case f.DevSeq != last+1:
			stop = fmt.Errorf("refuse fact %s: %w: device %s at %d, fact %d", f.ID, store.ErrSequenceGap, device, last, f.DevSeq)
			return nil
		}
		_, err = a.sql().ExecContext(ctx, `INSERT INTO refused_facts(device, dev_seq, id, kind, station,
			reason, refused_at, fact) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(device, dev_seq) DO NOTHING`,
			device, f.DevSeq, f.ID, string(f.Kind), f.Station, reason, s.now().UTC().Format(time.RFC3339Nano), string(raw))
		if err != nil {
			return fmt.Errorf("store refused fact %s: %w", f.ID, err)
		}
		a.setDevSeq(device, f.DevSeq)
		res.LastDevSeq = f.DevSeq
		return nil
	})
	if err != nil {
		return store.ApplyResult{}, fmt.Errorf("refuse fact from %s: %w", device, err)
	}
	if stop == nil && res.Duplicates == 0 {
		s.log.Warn("device fact refused", "device", device, "dev_seq", f.DevSeq, "event", f.ID, "kind", f.Kind, "reason", reason)
	}
	return res, stop
}

// RefusedFacts lists the facts refused from a device ("" for every device), oldest first.
func (s *Store) RefusedFacts(ctx context.Context, device string) ([]store.RefusedFact, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT device, dev_seq, reason, refused_at, fact
		FROM refused_facts WHERE ? = '' OR device = ? ORDER BY refused_at, device, dev_seq`, device, device)
	if err != nil {
		return nil, fmt.Errorf("list refused facts: %w", err)
	}
	defer rows.Close()
	var out []store.RefusedFact
	for rows.Next() {
		var r store.RefusedFact
		var at, raw string
		if err := rows.Scan(&r.Device, &r.DevSeq, &r.Reason, &at, &raw); err != nil {
			return nil, fmt.Errorf("list refused facts: %w", err)
		}
		if r.RefusedAt, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, fmt.Errorf("refused fact %s/%d time %q: %w", r.Device, r.DevSeq, at, err)
		}
		if err := json.Unmarshal([]byte(raw), &r.Fact); err != nil {
			return nil, fmt.Errorf("refused fact %s/%d: %w", r.Device, r.DevSeq, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list refused facts: %w", err)
	}
	return out, nil
}
