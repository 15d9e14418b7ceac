package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"liaison/sync/hub/store"
)

// CreateSession stores a new browser session (by the hash of its id).
func (s *Store) CreateSession(ctx context.Context, ses store.Session) error {
	return s.userWrite(ctx, "create session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions(hash, login, csrf, created_at, last_seen)
			VALUES (?, ?, ?, ?, ?)`, ses.Hash, ses.Login, ses.CSRF, ses.Created.UnixNano(), ses.LastSeen.UnixNano())
		return err
	})
}

// SessionUser returns the session with the hash and its account, or store.ErrNoUser. Expiry
// is the caller's to judge (it owns the clock and the limits).
func (s *Store) SessionUser(ctx context.Context, hash []byte) (store.Session, store.User, error) {
	ses := store.Session{Hash: hash}
	var created, seen int64
	row := s.db.QueryRowContext(ctx, `SELECT s.csrf, s.created_at, s.last_seen, `+prefixed("u.", userCols)+`
		FROM sessions s JOIN users u ON u.login = s.login WHERE s.hash = ?`, hash)
	u, err := scanUser(prependScan{row, []any{&ses.CSRF, &created, &seen}})
	if errors.Is(err, sql.ErrNoRows) {
		return ses, u, fmt.Errorf("session: %w", store.ErrNoUser)
	}
	if err != nil {
		return ses, u, fmt.Errorf("session: %w", err)
	}
	ses.Login, ses.Created, ses.LastSeen = u.Login, time.Unix(0, created), time.Unix(0, seen)
	return ses, u, nil
}

// TouchSession records that a session was used at t.
func (s *Store) TouchSession(ctx context.Context, hash []byte, t time.Time) error {
	return s.userWrite(ctx, "touch session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE hash = ?`, t.UnixNano(), hash)
		return err
	})
}

// DeleteSession ends a session; ending one that does not exist is not an error.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	return s.userWrite(ctx, "delete session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
		return err
	})
}

// DeleteSessionsBefore removes sessions last used before idle or created before absolute,
// except a wall screen's (store.RoleDisplay), which only idleness ends: housekeeping, as an
// expired session is refused when presented anyway.
func (s *Store) DeleteSessionsBefore(ctx context.Context, idle, absolute time.Time) (int64, error) {
	var n int64
	err := s.userWrite(ctx, "expire sessions", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE last_seen < ? OR (created_at < ?
			AND login NOT IN (SELECT login FROM users WHERE role = ?))`,
			idle.UnixNano(), absolute.UnixNano(), store.RoleDisplay)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, err
}

// CreateToken stores a personal API token of login (by its hash).
func (s *Store) CreateToken(ctx context.Context, hash []byte, login string, created time.Time) error {
	return s.userWrite(ctx, "create token for "+login, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE login = ? AND disabled = 0`, login).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNoUser
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens(hash, login, created_at) VALUES (?, ?, ?)`,
			hash, login, created.UTC().Format(time.RFC3339Nano))
		return err
	})
}

// TokenUser returns the account a token hash belongs to, or store.ErrNoUser.
func (s *Store) TokenUser(ctx context.Context, hash []byte) (store.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+prefixed("u.", userCols)+`
		FROM api_tokens t JOIN users u ON u.login = t.login WHERE t.hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("token: %w", store.ErrNoUser)
	}
	if err != nil {
		return u, fmt.Errorf("token: %w", err)
	}
	return u, nil
}

// prefixed qualifies every column of a comma-separated list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// prependScan scans extra destinations before the ones its caller passes.
type prependScan struct {
	r     scanner
	first []any
}

func (p prependScan) Scan(dest ...any) error { return p.r.Scan(append(p.first, dest...)...) }
