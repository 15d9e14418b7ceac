// Package store holds what every hub store speaks, whatever its engine: the device as the hub
// knows it, the result of applying uploaded facts, and the errors of the store contract.
package store

import (
	"crypto/ed25519"
	"errors"
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

// ErrRevoked is returned by Store.ApplyFacts for a device staff revoked: its session ends.
var ErrRevoked = errors.New("device revoked")
