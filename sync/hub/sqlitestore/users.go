package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"liaison/sync/hub/store"
)

const userCols = `login, name, role, dept_code, rep_id, password, disabled, created_at, node`

func scanUser(r scanner) (store.User, error) {
	var u store.User
	var created string
	if err := r.Scan(&u.Login, &u.Name, &u.Role, &u.DeptCode, &u.RepID, &u.PasswordHash, &u.Disabled, &created, &u.Node); err != nil {
		return u, err
	}
	t, err := time.Parse(time.RFC3339Nano, created)
	if err != nil {
		return u, fmt.Errorf("user %s created %q: %w", u.Login, created, err)
	}
	u.Created = t
	return u, nil
}

// CreateUser stores a new account; store.ErrLoginTaken when the login is in use.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	return s.userWrite(ctx, "create user "+u.Login, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE login = ?`, u.Login).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return store.ErrLoginTaken
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users(`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Login, u.Name, u.Role, u.DeptCode, u.RepID, u.PasswordHash, u.Disabled,
			u.Created.UTC().Format(time.RFC3339Nano), u.Node)
		return err
	})
}

// User returns the account with the login, or store.ErrNoUser.
func (s *Store) User(ctx context.Context, login string) (store.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %s: %w", login, store.ErrNoUser)
	}
	if err != nil {
		return u, fmt.Errorf("user %s: %w", login, err)
	}
	return u, nil
}

// Users returns every account, by login.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY login`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []store.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// CountUsers returns how many accounts exist (disabled ones included).
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// DisableUser disables an account and, in the same transaction, ends its sessions and
// revokes its API tokens.
func (s *Store) DisableUser(ctx context.Context, login string) error {
	return s.userWrite(ctx, "disable user "+login, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = 1 WHERE login = ?`, login)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNoUser
		}
		return endAccess(ctx, tx, login)
	})
}

// SetPassword replaces an account's password hash and ends its other sessions: keep names
// the session hash to keep (the one that changed its own password), or nil.
func (s *Store) SetPassword(ctx context.Context, login, hash string, keep []byte) error {
	return s.userWrite(ctx, "set password of "+login, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password = ? WHERE login = ?`, hash, login)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNoUser
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE login = ? AND hash <> ?`, login, keep)
		return err
	})
}

// endAccess ends every session and API token of login.
func endAccess(ctx context.Context, tx *sql.Tx, login string) error {
	for _, q := range []string{`DELETE FROM sessions WHERE login = ?`, `DELETE FROM api_tokens WHERE login = ?`} {
		if _, err := tx.ExecContext(ctx, q, login); err != nil {
			return err
		}
	}
	return nil
}

// userWrite runs fn in one write transaction on the writer connection. The console's tables
// are not part of the log, so nothing is appended and no high-water mark moves.
func (s *Store) userWrite(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	ctx, tx, err := s.wconn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := s.wconn.Commit(tx); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}
