// Package wsserver is the hub's WebSocket sync endpoint: device-authenticated sessions, outbox
// upload applied exactly once, scoped download after a cursor, live push and heartbeats.
package wsserver

import (
	"context"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Store is what the sync endpoint needs from the hub's store. Every method is safe for
// concurrent use. Every store.Store is one, and a FactRefuser too.
type Store interface {
	// Epoch is the random id of this hub database; it changes when the database is replaced
	// (restored from a backup or created anew).
	Epoch() string
	// Device returns an enrolled device, or store.ErrUnknownDevice.
	Device(ctx context.Context, id string) (store.Device, error)
	// LastDevSeq is the last sequence applied from the device (0 if none).
	LastDevSeq(ctx context.Context, device string) (int64, error)
	// ApplyFacts applies facts uploaded by device, in DevSeq order, exactly once: facts at or
	// below the device's last applied sequence are skipped as duplicates; a fact beyond
	// last+1 is a gap and nothing from it on is applied (store.ErrSequenceGap, with the result of
	// what was applied before it). Each fact is appended to the hub log with the next gapless
	// sequence, and the device's last sequence is stored in the same transaction. Facts that
	// conflict with the current state are recorded all the same, followed by a resolution event
	// originated by the hub (e.g. case.cohandler).
	ApplyFacts(ctx context.Context, device string, facts []domain.Event) (store.ApplyResult, error)
	// EventsAfter returns up to limit events of the station's scope (events of that station
	// and global reference events, Station == "") with HubSeq > after, ascending. It stops
	// early after the event whose protocol.EventSize brings the total to protocol.MaxPageBytes,
	// so a page is bounded in bytes whatever the events hold.
	EventsAfter(ctx context.Context, station string, after int64, limit int) ([]domain.Event, error)
	// LastSeq is the last sequence of the hub log.
	LastSeq(ctx context.Context) (int64, error)
	// RecordHeartbeat stores the latest health report of a device.
	RecordHeartbeat(ctx context.Context, device string, health []byte) error
}

var (
	_ Store       = store.Store(nil)
	_ FactRefuser = store.Store(nil)
)

// FactRefuser is implemented by a Store that can set a refused fact aside, so that one bad fact
// does not hold back every later fact of its device. The endpoint calls it after ApplyFacts
// reported store.ErrInvalidFact; a Store without it leaves the device stuck at the refused fact
// (the client is told bad_fact and stops uploading until its next session).
type FactRefuser interface {
	// RefuseFact records fact (the device's next sequence, last applied + 1) as refused with
	// its code and reason (kept in a quarantine for an operator), without appending it to the log, and advances the device's last applied sequence
	// to fact.DevSeq in the same transaction. A fact at or below the last applied sequence is
	// counted as a duplicate and changes nothing; one beyond last+1 is store.ErrSequenceGap.
	RefuseFact(ctx context.Context, device string, fact domain.Event, code domain.FactCode, reason string) (store.ApplyResult, error)
}
