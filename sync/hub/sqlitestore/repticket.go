package sqlitestore

import (
	"context"
	"database/sql"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// ticketKeep is how long after its expiry a used ticket's nonce is kept: longer than the
// clock skew a ticket is taken with, so a replay is still recognised while it could verify.
const ticketKeep = time.Hour

// RedeemRepTicket uses a representative's login ticket: it records the ticket's nonce and
// opens the session in one transaction, so two phones presenting one ticket get one
// session; the second gets store.ErrTicketUsed and nothing is written.
func (s *Store) RedeemRepTicket(ctx context.Context, t domain.RepTicket, ses store.Session) error {
	now := s.now()
	return s.userWrite(ctx, "redeem login ticket", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rep_ticket_nonces WHERE expires_at < ?`,
			now.Add(-ticketKeep).UnixNano()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO rep_ticket_nonces(nonce, device, rep_id, login, expires_at, used_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(nonce) DO NOTHING`,
			t.Nonce, t.Device, t.Rep, ses.Login, t.Expires.UnixNano(), now.UnixNano())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return store.ErrTicketUsed
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sessions(hash, login, csrf, created_at, last_seen)
			VALUES (?, ?, ?, ?, ?)`, ses.Hash, ses.Login, ses.CSRF, ses.Created.UnixNano(), ses.LastSeen.UnixNano())
		return err
	})
}
