package store

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// Device roles.
const (
	RoleKiosk = "kiosk"
	RoleWall  = "wall"
)

// Pairing parameters.
const (
	PairingAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O, 1/I: read aloud and typed on a kiosk
	PairingLength   = 8
	PairingTTL      = 15 * time.Minute
)

// DefaultBadgeValidity is how long a badge issued without an explicit end stays valid: one
// year, so a lost badge that somehow escaped revocation still runs out.
const DefaultBadgeValidity = 365 * 24 * time.Hour

// CheckInOpenBefore is how long before an activity starts check-in opens (people arrive
// early); it stays open until the activity ends.
const CheckInOpenBefore = 30 * time.Minute

// Device is an enrolled device as the hub knows it.
type Device struct {
	ID        string
	Code      string // short code used in case numbers, e.g. "K1"
	Station   string
	Role      string // RoleKiosk | RoleWall
	PublicKey ed25519.PublicKey
	Revoked   bool
}

// DeviceInfo is a device with its bookkeeping, for listings.
type DeviceInfo struct {
	Device
	Name     string
	Created  time.Time
	LastSeen time.Time // zero until its first heartbeat
}

// PairingCode is a one-time code handed to a technician.
type PairingCode struct {
	Code    string // PairingLength characters of PairingAlphabet
	Station string
	Role    string
	Name    string
	Expires time.Time
}

// PendingPairing is a pairing code waiting for its device: not redeemed, not cancelled and
// not expired. The code itself is not in it: the hub keeps only its hash.
type PendingPairing struct {
	ID      int64 // the hub's number of the code, for cancelling it
	Station string
	Role    string
	Name    string
	Created time.Time
	Expires time.Time
}

// HeartbeatRecord is what the sync endpoint stores per heartbeat (RecordHeartbeat): the
// device's report and the hub's own estimate of the device's clock offset, one-way, so it
// includes the network delay (positive: the device's clock is ahead).
type HeartbeatRecord struct {
	protocol.Health
	SentAt     time.Time `json:"sent_at"`
	ReceivedAt time.Time `json:"received_at"`
	HubSkewMS  int64     `json:"hub_skew_ms"`
}

// ApplyResult tells what ApplyFacts (or RefuseFact) did.
type ApplyResult struct {
	Applied    int   // facts newly stored
	Duplicates int   // facts skipped because already applied
	LastDevSeq int64 // the device's last applied sequence after the call
	LastSeq    int64 // the hub log's last sequence after the call
}

// RefusedFact is a device fact the hub set aside as invalid.
type RefusedFact struct {
	Device    string
	DevSeq    int64
	Code      domain.FactCode // why, for programs ("" for refusals older than the codes)
	Reason    string
	RefusedAt time.Time
	Fact      domain.Event
}

// CaseFilter narrows Cases. Zero fields match everything.
type CaseFilter struct {
	State   domain.State
	Station string
	Limit   int // 0: no limit
}

// BadgeRecord is a badge as the hub lists it.
type BadgeRecord struct {
	Serial     string     `json:"serial"`
	RepID      string     `json:"rep_id"`
	RepName    string     `json:"rep_name"`
	ValidUntil time.Time  `json:"valid_until"`
	IssuedAt   time.Time  `json:"issued_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	Payload    string     `json:"payload,omitempty"` // the QR text; empty once revoked
}

// DutySign is one duty sign-in or sign-out fact as staff review them.
type DutySign struct {
	Seq     int64     `json:"seq"`
	Device  string    `json:"device"`
	RepID   string    `json:"rep_id"`
	RepName string    `json:"rep_name"`
	Badge   string    `json:"badge"`
	In      bool      `json:"in"` // sign-in (true) or sign-out
	At      time.Time `json:"at"` // the scan's real time at the station
	// Duplicate marks a sign that repeats the representative's previous sign of the day
	// (two sign-ins with no sign-out between, e.g. one scan at each of two offline kiosks).
	// It is kept, never dropped: staff decide what it means.
	Duplicate bool `json:"duplicate"`
}

// Roster is an activity's places as the hub decided them.
type Roster struct {
	Activity  domain.Activity `json:"activity"`
	Confirmed []string        `json:"confirmed"` // person ids with a place, in the order they got it
	Waiting   []string        `json:"waiting"`   // the waitlist, first in line first
}

// SignUpResult is a person's place at an activity and the activity's figures.
type SignUpResult struct {
	Activity  domain.Activity     `json:"activity"`
	Place     domain.SignUpStatus `json:"place"` // Status "" when the person never signed up
	Confirmed int                 `json:"confirmed"`
	Waiting   int                 `json:"waiting"`
}

// CheckInResult is what a phone check-in recorded.
type CheckInResult struct {
	Activity domain.Activity `json:"activity"`
	Attended int             `json:"attended"`
}

// RefWrite is one reference item to record: an item of a domain.RefKinds kind, whole, as the
// JSON of its domain type, under its key (domain.RefKey).
type RefWrite struct {
	Kind domain.Kind
	Key  string
	Data json.RawMessage
	// Create marks a new item: refused (ref_duplicate) when the key exists.
	Create bool
}

// RefResult is what PutRefs recorded.
type RefResult struct {
	Events    []domain.Event // the ref events appended, in order
	Unchanged int            // writes identical to the current item: skipped, nothing appended
}

// RefProblem is one reason a write of PutRefs was refused.
type RefProblem struct {
	Index  int    // position in the writes
	Key    string // the write's key
	Field  string // json field name, "" for the whole item
	Code   string // a registered domain code: ref_duplicate, ref_dangling, field_required …
	Params map[string]string
}

// RefRefused is PutRefs's error when any write is refused; nothing was written.
type RefRefused struct{ Problems []RefProblem }

func (e *RefRefused) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "reference data refused: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		fmt.Fprintf(&b, "; #%d %s %s: %s", p.Index, p.Key, p.Field, p.Code)
	}
	return b.String()
}
