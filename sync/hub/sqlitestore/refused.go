package sqlitestore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// maxReason keeps a refusal's stored reason short; the full error is in the hub's log.
const maxReason = 500

// DefaultMaxQuarantined is how many refused facts of one device the quarantine keeps whole.
// Beyond it a refusal keeps the fact's envelope without its payload: a taken device that
// sends nothing but refused facts cannot fill the hub's disk (each payload is up to 64 KiB),
// and the operator still sees each refusal and its reason.
const DefaultMaxQuarantined = 1000

// RefuseFact implements the sync endpoint's FactRefuser: the fact is kept in refused_facts and the
// device's sequence moves past it in the same transaction, without touching the log.
func (s *Store) RefuseFact(ctx context.Context, device string, f domain.Event, code domain.FactCode, reason string) (store.ApplyResult, error) {
	var res store.ApplyResult
	if len(reason) > maxReason {
		reason = strings.ToValidUTF8(reason[:maxReason], "")
	}
	var stop error
	err := s.write(ctx, func(a *appender) error {
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
		var kept int
		if err := a.sql().QueryRowContext(ctx, `SELECT count(*) FROM refused_facts WHERE device = ?`, device).
			Scan(&kept); err != nil {
			return fmt.Errorf("count refused facts of %s: %w", device, err)
		}
		raw, err := quarantined(f, kept < s.maxQuarantined)
		if err != nil {
			return err
		}
		// A refused fact is kept byte for byte, invalid UTF-8 included: SQLite's TEXT holds
		// any bytes; PostgreSQL's column is BYTEA.
		var fact any = raw
		if s.pg {
			fact = []byte(raw)
		}
		_, err = a.sql().ExecContext(ctx, `INSERT INTO refused_facts(device, dev_seq, id, kind, station,
			code, reason, refused_at, fact) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(device, dev_seq) DO NOTHING`,
			device, f.DevSeq, strings.ToValidUTF8(f.ID, "?"), strings.ToValidUTF8(string(f.Kind), "?"),
			strings.ToValidUTF8(f.Station, "?"), string(code), reason, s.now().UTC().Format(time.RFC3339Nano), fact)
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
		// The endpoint logs refusals, rate-limited: a device sending nothing else must not
		// flood the hub's log.
		s.log.Debug("device fact refused", "device", device, "dev_seq", f.DevSeq, "code", code, "reason", reason)
	}
	return res, stop
}

// quarantined is the stored form of a refused fact: the whole fact, or, without body, the
// envelope only. A payload that is not JSON (a common reason for refusal) is kept as a string.
func quarantined(f domain.Event, body bool) (string, error) {
	if !body {
		f.Data = json.RawMessage(`"(payload not kept: quarantine full for this device)"`)
	}
	raw, err := json.Marshal(f)
	if err != nil {
		// The payload is not JSON or the time cannot be encoded: keep both as text, so the
		// refusal is recorded whatever the fact held.
		f.Data, _ = json.Marshal(fmt.Sprintf("at %s; data %s", f.At, strings.ToValidUTF8(string(f.Data), "\ufffd")))
		f.At = time.Time{}
		if raw, err = json.Marshal(f); err != nil {
			return "", fmt.Errorf("refuse fact %s: %w", f.ID, err)
		}
	}
	return string(raw), nil
}

// RefusedFacts lists the facts refused from a device ("" for every device), oldest first.
func (s *Store) RefusedFacts(ctx context.Context, device string) ([]store.RefusedFact, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT device, dev_seq, code, reason, refused_at, fact
		FROM refused_facts WHERE ? = '' OR device = ? ORDER BY refused_at, device, dev_seq`, device, device)
	if err != nil {
		return nil, fmt.Errorf("list refused facts: %w", err)
	}
	defer rows.Close()
	var out []store.RefusedFact
	for rows.Next() {
		var r store.RefusedFact
		var at, raw string
		var code string
		if err := rows.Scan(&r.Device, &r.DevSeq, &code, &r.Reason, &at, &raw); err != nil {
			return nil, fmt.Errorf("list refused facts: %w", err)
		}
		r.Code = domain.FactCode(code)
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
