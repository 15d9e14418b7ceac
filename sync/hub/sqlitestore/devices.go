package sqlitestore

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

func hashCode(code string) []byte {
	h := sha256.Sum256([]byte(code))
	return h[:]
}

// NormalizeCode upper-cases a typed code and drops spaces and dashes.
func NormalizeCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		if r != ' ' && r != '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func newCode() (string, error) {
	var raw [store.PairingLength]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("generate pairing code: %w", err)
	}
	out := make([]byte, store.PairingLength)
	for i, b := range raw {
		// 256 is a multiple of the 32-letter alphabet, so the draw is uniform.
		out[i] = store.PairingAlphabet[int(b)%len(store.PairingAlphabet)]
	}
	return string(out), nil
}

// CreatePairingCode makes a one-time code that enrols one device of the station in the role.
// Only its hash is stored.
func (s *Store) CreatePairingCode(ctx context.Context, station, role, name string) (store.PairingCode, error) {
	if role != store.RoleKiosk && role != store.RoleWall {
		return store.PairingCode{}, fmt.Errorf("create pairing code: %w: %q", store.ErrInvalidRole, role)
	}
	if _, err := s.Station(ctx, station); err != nil {
		return store.PairingCode{}, fmt.Errorf("create pairing code: %w", err)
	}
	code, err := newCode()
	if err != nil {
		return store.PairingCode{}, err
	}
	now := s.now().UTC()
	pc := store.PairingCode{Code: code, Station: station, Role: role, Name: name, Expires: now.Add(store.PairingTTL)}
	err = s.write(ctx, func(a *appender) error {
		_, err := a.sql().ExecContext(ctx, `INSERT INTO pairing_codes(hash, station, role, name,
			created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`, hashCode(code), station, role, name,
			now.Format(time.RFC3339Nano), pc.Expires.Format(time.RFC3339Nano))
		return err
	})
	if err != nil {
		return store.PairingCode{}, fmt.Errorf("create pairing code: %w", err)
	}
	return pc, nil
}

// Pair redeems a pairing code for the device holding pub and enrols it with the next short
// code of its role at the station (K1, K2 … for kiosks, W1 … for walls). name, when not
// empty, overrides the name given with the code.
func (s *Store) Pair(ctx context.Context, code string, pub ed25519.PublicKey, name string) (store.DeviceInfo, error) {
	if len(pub) != ed25519.PublicKeySize {
		return store.DeviceInfo{}, fmt.Errorf("pair: %w: %d bytes", store.ErrInvalidKey, len(pub))
	}
	now := s.now().UTC()
	var d store.DeviceInfo
	err := s.write(ctx, func(a *appender) error {
		var station, role, given, expires, used string
		err := a.sql().QueryRowContext(ctx, `SELECT station, role, name, expires_at, used_at
			FROM pairing_codes WHERE hash = ?`, hashCode(NormalizeCode(code))).
			Scan(&station, &role, &given, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrCodeUnknown
		}
		if err != nil {
			return err
		}
		if used != "" {
			return store.ErrCodeUsed
		}
		exp, err := time.Parse(time.RFC3339Nano, expires)
		if err != nil {
			return fmt.Errorf("pairing code expiry %q: %w", expires, err)
		}
		if !now.Before(exp) {
			return store.ErrCodeExpired
		}
		if name == "" {
			name = given
		}
		short, err := nextDeviceCode(ctx, a.sql(), station, role)
		if err != nil {
			return err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		d = store.DeviceInfo{Device: store.Device{ID: id.String(), Code: short, Station: station,
			Role: role, PublicKey: pub}, Name: name, Created: now}
		if _, err := a.sql().ExecContext(ctx, `INSERT INTO devices(id, code, station, role, name,
			public_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Code, station, role,
			name, []byte(pub), now.Format(time.RFC3339Nano)); err != nil {
			return err
		}
		_, err = a.sql().ExecContext(ctx, `UPDATE pairing_codes SET used_at = ?, device_id = ?
			WHERE hash = ?`, now.Format(time.RFC3339Nano), d.ID, hashCode(NormalizeCode(code)))
		return err
	})
	if err != nil {
		return store.DeviceInfo{}, fmt.Errorf("pair: %w", err)
	}
	return d, nil
}

func nextDeviceCode(ctx context.Context, tx *sql.Tx, station, role string) (string, error) {
	prefix := "K"
	if role == store.RoleWall {
		prefix = "W"
	}
	rows, err := tx.QueryContext(ctx, `SELECT code FROM devices WHERE station = ?`, station)
	if err != nil {
		return "", fmt.Errorf("read device codes: %w", err)
	}
	defer rows.Close()
	highest := 0
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", fmt.Errorf("read device codes: %w", err)
		}
		if rest, ok := strings.CutPrefix(c, prefix); ok {
			if n, err := strconv.Atoi(rest); err == nil && n > highest {
				highest = n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("read device codes: %w", err)
	}
	return prefix + strconv.Itoa(highest+1), nil
}

const deviceCols = `id, code, station, role, name, public_key, revoked, created_at, last_seen`

func scanDevice(r scanner) (store.DeviceInfo, error) {
	var d store.DeviceInfo
	var pub []byte
	var created, seen string
	if err := r.Scan(&d.ID, &d.Code, &d.Station, &d.Role, &d.Name, &pub, &d.Revoked, &created, &seen); err != nil {
		return d, err
	}
	d.PublicKey = ed25519.PublicKey(pub)
	d.Created, _ = time.Parse(time.RFC3339Nano, created)
	if seen != "" {
		d.LastSeen, _ = time.Parse(time.RFC3339Nano, seen)
	}
	return d, nil
}

// Device implements the sync endpoint's Store.
func (s *Store) Device(ctx context.Context, id string) (store.Device, error) {
	d, err := scanDevice(s.db.QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Device{}, store.ErrUnknownDevice
	}
	if err != nil {
		return store.Device{}, fmt.Errorf("read device %s: %w", id, err)
	}
	return d.Device, nil
}

// Devices lists every enrolled device by station and code.
func (s *Store) Devices(ctx context.Context) ([]store.DeviceInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+deviceCols+` FROM devices ORDER BY station, code`)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	defer rows.Close()
	var out []store.DeviceInfo
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, fmt.Errorf("list devices: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	return out, nil
}

// RevokeDeviceBy marks a device revoked, with the person who revoked it as actor; the sync
// endpoint refuses the device from then on. In one transaction the device is marked revoked
// and a device.revoked event is appended to the hub log (the audit trail, hash-chained, in
// the device's station scope). Revoking a revoked device changes nothing. The sync endpoint
// ends the device's live session (wsserver.Server.Revoke, or RevokedDevices for revocations
// made by another process).
func (s *Store) RevokeDeviceBy(ctx context.Context, id string, actor domain.Actor) error {
	err := s.write(ctx, func(a *appender) error {
		d, err := scanDevice(a.sql().QueryRowContext(ctx, `SELECT `+deviceCols+` FROM devices WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrUnknownDevice
		}
		if err != nil {
			return err
		}
		if d.Revoked {
			return nil
		}
		if _, err := a.sql().ExecContext(ctx, `UPDATE devices SET revoked = 1 WHERE id = ?`, id); err != nil {
			return err
		}
		data, err := json.Marshal(domain.DeviceRevoked{DeviceID: d.ID, Code: d.Code, Role: d.Role, Name: d.Name})
		if err != nil {
			return err
		}
		_, err = s.appendProjected(a, domain.Event{Station: d.Station, Stream: "device:" + d.ID,
			Kind: domain.KindDeviceRevoked, At: s.now().UTC(), Actor: actor, Data: data}, true)
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke device %s: %w", id, err)
	}
	return nil
}

// RevokedDevices lists the ids of revoked devices.
func (s *Store) RevokedDevices(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM devices WHERE revoked = 1`)
	if err != nil {
		return nil, fmt.Errorf("list revoked devices: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list revoked devices: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list revoked devices: %w", err)
	}
	return out, nil
}

// LastDevSeq implements the sync endpoint's Store.
func (s *Store) LastDevSeq(ctx context.Context, device string) (int64, error) {
	return devSeq(ctx, s.hot.devSeq, device)
}

// RecordHeartbeat implements the sync endpoint's Store; it also marks the device as seen.
func (s *Store) RecordHeartbeat(ctx context.Context, device string, health []byte) error {
	now := s.now().UTC().Format(time.RFC3339Nano)
	if health == nil {
		health = []byte{}
	}
	return s.write(ctx, func(a *appender) error {
		if _, err := a.sql().ExecContext(ctx, `INSERT INTO heartbeats(device, at, health) VALUES (?, ?, ?)
			ON CONFLICT(device) DO UPDATE SET at = excluded.at, health = excluded.health`,
			device, now, health); err != nil {
			return fmt.Errorf("record heartbeat of %s: %w", device, err)
		}
		if _, err := a.sql().ExecContext(ctx, `UPDATE devices SET last_seen = ? WHERE id = ?`, now, device); err != nil {
			return fmt.Errorf("record heartbeat of %s: %w", device, err)
		}
		return nil
	})
}

// Heartbeat returns a device's latest health report and when it came.
func (s *Store) Heartbeat(ctx context.Context, device string) ([]byte, time.Time, error) {
	var at string
	var health []byte
	err := s.db.QueryRowContext(ctx, `SELECT at, health FROM heartbeats WHERE device = ?`, device).Scan(&at, &health)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("heartbeat of %s: %w", device, store.ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("heartbeat of %s: %w", device, err)
	}
	t, _ := time.Parse(time.RFC3339Nano, at)
	return health, t, nil
}

const pendingCols = `rowid, station, role, name, created_at, expires_at`

func scanPending(r scanner) (store.PendingPairing, error) {
	var p store.PendingPairing
	var created, expires string
	if err := r.Scan(&p.ID, &p.Station, &p.Role, &p.Name, &created, &expires); err != nil {
		return p, err
	}
	p.Created, _ = time.Parse(time.RFC3339Nano, created)
	p.Expires, _ = time.Parse(time.RFC3339Nano, expires)
	return p, nil
}

// PendingPairings lists the codes not redeemed, not cancelled and not expired, soonest
// expiry first. Expiry times are stored in UTC with RFC 3339 nanoseconds, so they are
// compared as times after reading rather than as text.
func (s *Store) PendingPairings(ctx context.Context) ([]store.PendingPairing, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+pendingCols+` FROM pairing_codes WHERE used_at = ''`)
	if err != nil {
		return nil, fmt.Errorf("list pairing codes: %w", err)
	}
	defer rows.Close()
	now := s.now()
	out := []store.PendingPairing{}
	for rows.Next() {
		p, err := scanPending(rows)
		if err != nil {
			return nil, fmt.Errorf("list pairing codes: %w", err)
		}
		if now.Before(p.Expires) {
			out = append(out, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list pairing codes: %w", err)
	}
	slices.SortFunc(out, func(a, b store.PendingPairing) int {
		if c := a.Expires.Compare(b.Expires); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// PendingPairing returns the waiting code typed as code.
func (s *Store) PendingPairing(ctx context.Context, code string) (store.PendingPairing, error) {
	var used string
	var p store.PendingPairing
	var created, expires string
	err := s.db.QueryRowContext(ctx, `SELECT `+pendingCols+`, used_at FROM pairing_codes WHERE hash = ?`,
		hashCode(NormalizeCode(code))).Scan(&p.ID, &p.Station, &p.Role, &p.Name, &created, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return p, fmt.Errorf("pairing code: %w", store.ErrCodeUnknown)
	case err != nil:
		return p, fmt.Errorf("pairing code: %w", err)
	case used != "":
		return p, fmt.Errorf("pairing code: %w", store.ErrCodeUsed)
	}
	p.Created, _ = time.Parse(time.RFC3339Nano, created)
	p.Expires, _ = time.Parse(time.RFC3339Nano, expires)
	if !s.now().Before(p.Expires) {
		return p, fmt.Errorf("pairing code: %w", store.ErrCodeExpired)
	}
	return p, nil
}

// CancelPairing withdraws a waiting code: it is marked used by no device.
func (s *Store) CancelPairing(ctx context.Context, id int64) error {
	now := s.now().UTC()
	err := s.write(ctx, func(a *appender) error {
		var expires string
		err := a.sql().QueryRowContext(ctx, `SELECT expires_at FROM pairing_codes WHERE rowid = ? AND used_at = ''`,
			id).Scan(&expires)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if exp, err := time.Parse(time.RFC3339Nano, expires); err != nil || !now.Before(exp) {
			return store.ErrNotFound
		}
		_, err = a.sql().ExecContext(ctx, `UPDATE pairing_codes SET used_at = ? WHERE rowid = ?`,
			now.Format(time.RFC3339Nano), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("cancel pairing code %d: %w", id, err)
	}
	return nil
}
