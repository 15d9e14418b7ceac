// Package client is the station's sync client: it uploads the local outbox to the hub and
// applies the hub's events of the station's scope, over one WebSocket, with back-off.
package client

import (
	"context"

	"liaison/sync/domain"
)

// LocalStore is what the sync client needs from the station's store (app/store implements it).
type LocalStore interface {
	// LocalFactsAfter returns up to limit facts originated by this device with DevSeq > after,
	// ascending. Facts stay in the store after upload, so a hub restored from an older backup
	// can be given them again.
	LocalFactsAfter(ctx context.Context, after int64, limit int) ([]domain.Event, error)
	// LastLocalSeq is the DevSeq of the newest local fact (0 if none).
	LastLocalSeq(ctx context.Context) (int64, error)
	// MarkUploaded records that the hub holds every local fact up to devSeq; the outbox depth
	// shown to people is LastLocalSeq − uploaded.
	MarkUploaded(ctx context.Context, devSeq int64) error
	// Cursor returns the download cursor {epoch, seq}; a new store returns ("", 0).
	Cursor(ctx context.Context) (epoch string, seq int64, err error)
	// ApplyRemote applies events received from the hub (ascending HubSeq) and advances the
	// cursor to {epoch, seq} in the same transaction. Events this device originated are
	// recognised by id and only get their HubSeq set.
	ApplyRemote(ctx context.Context, epoch string, evs []domain.Event, seq int64) error
	// ResetRemote forgets everything learned from the hub (own facts are kept) and sets the
	// cursor to {epoch, 0}; used when the hub's epoch changed.
	ResetRemote(ctx context.Context, epoch string) error
}
