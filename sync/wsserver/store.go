// Package wsserver is the hub's WebSocket sync endpoint: device-authenticated sessions, outbox
// upload applied exactly once, scoped download after a cursor, live push and heartbeats.
package wsserver

import (
	"context"
	"crypto/ed25519"
	"errors"

	"liaison/sync/domain"
)

// ErrUnknownDevice is returned by Store.Device for a device id the hub never enrolled.
var ErrUnknownDevice = errors.New("unknown device")

// ErrSequenceGap is returned by Store.ApplyFacts when the first fact's DevSeq is not the
// device's last applied sequence + 1 (after skipping duplicates).
var ErrSequenceGap = errors.New("sequence gap")

// ErrInvalidFact is wrapped by Store.ApplyFacts's error when a fact can never be applied, however
// often it is sent: another station's data, a kind or role only the hub records, a malformed
// payload, a reused event id. The result covers the facts before it, so the refused fact is the
// one at LastDevSeq+1. Facts that merely conflict with the hub's state are not invalid: they
// are recorded and resolved.
var ErrInvalidFact = errors.New("invalid fact")

// Device is an enrolled device as the hub knows it.
type Device struct {
	ID        string
	Code      string // short code used in case numbers, e.g. "K1"
	Station   string
	Role      string // kiosk | wall
	PublicKey ed25519.PublicKey
	Revoked   bool
}

// ApplyResult tells what ApplyFacts did.
type ApplyResult struct {
	Applied    int   // facts newly stored
	Duplicates int   // facts skipped because already applied
	LastDevSeq int64 // the device's last applied sequence after the call
	LastSeq    int64 // the hub log's last sequence after the call
}

// Store is what the sync endpoint needs from the hub's store. Every method is safe for
// concurrent use. Implementations: sync/hubstore (SQLite).
type Store interface {
	// Epoch is the random id of this hub database; it changes when the database is replaced
	// (restored from a backup or created anew).
	Epoch() string
	// Device returns an enrolled device, or ErrUnknownDevice.
	Device(ctx context.Context, id string) (Device, error)
	// LastDevSeq is the last sequence applied from the device (0 if none).
	LastDevSeq(ctx context.Context, device string) (int64, error)
	// ApplyFacts applies facts uploaded by device, in DevSeq order, exactly once: facts at or
	// below the device's last applied sequence are skipped as duplicates; a fact beyond
	// last+1 is a gap and nothing from it on is applied (ErrSequenceGap, with the result of
	// what was applied before it). Each fact is appended to the hub log with the next gapless
	// sequence, and the device's last sequence is stored in the same transaction. Facts that
	// conflict with the current state are recorded all the same, followed by a resolution event
	// originated by the hub (e.g. case.cohandler).
	ApplyFacts(ctx context.Context, device string, facts []domain.Event) (ApplyResult, error)
	// EventsAfter returns up to limit events of the station's scope (events of that station
	// and global reference events, Station == "") with HubSeq > after, ascending.
	EventsAfter(ctx context.Context, station string, after int64, limit int) ([]domain.Event, error)
	// LastSeq is the last sequence of the hub log.
	LastSeq(ctx context.Context) (int64, error)
	// RecordHeartbeat stores the latest health report of a device.
	RecordHeartbeat(ctx context.Context, device string, health []byte) error
}

// FactRefuser is implemented by a Store that can set a refused fact aside, so that one bad fact
// does not hold back every later fact of its device. The endpoint calls it after ApplyFacts
// reported ErrInvalidFact; a Store without it leaves the device stuck at the refused fact
// (the client is told bad_fact and stops uploading until its next session).
type FactRefuser interface {
	// RefuseFact records fact (the device's next sequence, last applied + 1) as refused with
	// reason, without appending it to the log, and advances the device's last applied sequence
	// to fact.DevSeq in the same transaction. A fact at or below the last applied sequence is
	// counted as a duplicate and changes nothing; one beyond last+1 is ErrSequenceGap.
	RefuseFact(ctx context.Context, device string, fact domain.Event, reason string) (ApplyResult, error)
}
