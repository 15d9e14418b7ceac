// Package store is the hub store's contract, whatever its engine: the interface every engine
// implements (Store), the types it speaks (devices, apply results, badges …) and its sentinel
// errors. The HTTP server and the sync endpoint depend on this package only; the engine is
// chosen by the command that wires the hub (sync/hub/sqlitestore is the SQLite one), and every
// engine must pass the contract tests of sync/hub/store/storetest.
//
// Every method is safe for concurrent use. Errors are wrapped with context: test them with
// errors.Is against the sentinels of this package.
package store

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"time"

	"liaison/sync/domain"
)

// Store is the whole hub store. Its parts are the views its callers take of it; most callers
// declare a still smaller interface where they use it.
type Store interface {
	Log
	Ingest
	Enrolment
	Casework
	Reference
	Badging
	Admin
}

// Log is the hub's event log: one gapless sequence 1, 2, … LastSeq over every event, chained
// by hash, in a database named by its epoch.
type Log interface {
	// Epoch is the random id of this hub database. It stays the same across restarts on the
	// same data and differs for every other database, including one restored from a backup,
	// so a station can tell its cursor no longer applies.
	Epoch() string
	// LastSeq is the sequence of the newest event in the log, 0 when the log is empty.
	LastSeq(ctx context.Context) (int64, error)
	// EventsAfter returns up to limit events of the station's scope with HubSeq > after, in
	// ascending HubSeq. The scope is the station's own events and the global ones
	// (Station == ""); station "" means the global events only. limit <= 0 returns none.
	EventsAfter(ctx context.Context, station string, after int64, limit int) ([]domain.Event, error)
	// StreamEvents returns one stream's events (a case id, "station:HX01" …) in log order; a
	// stream without events gives none and no error.
	StreamEvents(ctx context.Context, stream string) ([]domain.Event, error)
	// Subscribe returns a channel that receives the log's last sequence after appends made
	// through this store. Values are coalesced: a slow reader sees only the newest. cancel
	// ends the subscription and closes the channel; Close closes every channel.
	Subscribe() (ch <-chan int64, cancel func())
	// VerifyChain recomputes the hash chain over the whole log and checks the sequence has
	// no gaps; it returns ErrChainBroken for the first row that does not follow.
	VerifyChain(ctx context.Context) error
}

// Ingest is what the sync endpoint writes and reads for a device's session.
type Ingest interface {
	// Device returns an enrolled device (revoked ones too), or ErrUnknownDevice.
	Device(ctx context.Context, id string) (Device, error)
	// LastDevSeq is the last sequence applied or refused from the device, 0 if none.
	LastDevSeq(ctx context.Context, device string) (int64, error)
	// ApplyFacts applies facts uploaded by device, in DevSeq order, exactly once. Facts at
	// or below the device's last sequence are counted as duplicates and skipped. Each new
	// fact is appended to the log with the next gapless sequence and projected, and the
	// device's last sequence is stored in the same transaction; a fact that conflicts with
	// the current state (two representatives claiming one case) is recorded all the same,
	// followed by a resolution event the hub originates (case.cohandler).
	//
	// It returns ErrUnknownDevice for a device never enrolled and ErrRevoked for a revoked
	// one, applying nothing. A fact beyond last+1 stops the batch with ErrSequenceGap, and an
	// invalid one with ErrInvalidFact; in both cases the result reports what was applied
	// before it, and nothing from it on is applied.
	ApplyFacts(ctx context.Context, device string, facts []domain.Event) (ApplyResult, error)
	// RefuseFact sets aside fact, the device's next one (last + 1), as refused with reason:
	// it is kept for staff (RefusedFacts) but never appended to the log, and the device's
	// last sequence moves to fact.DevSeq in the same transaction, so the facts after it can
	// apply. A fact at or below the last sequence counts as a duplicate and changes nothing;
	// one beyond last+1 is ErrSequenceGap.
	RefuseFact(ctx context.Context, device string, fact domain.Event, code domain.FactCode, reason string) (ApplyResult, error)
	// RefusedFacts lists the device's refused facts in DevSeq order.
	RefusedFacts(ctx context.Context, device string) ([]RefusedFact, error)
	// RecordHeartbeat stores the latest health report of a device and marks it seen now.
	RecordHeartbeat(ctx context.Context, device string, health []byte) error
	// Heartbeat returns a device's latest health report and when it came, or ErrNotFound
	// before its first.
	Heartbeat(ctx context.Context, device string) (health []byte, at time.Time, err error)
}

// Enrolment pairs devices with the hub and keeps their list.
type Enrolment interface {
	// CreatePairingCode makes a one-time code that enrols one device of the station in the
	// role (RoleKiosk or RoleWall), valid for PairingTTL from now. It returns ErrInvalidRole
	// or ErrUnknownStation (a station never recorded with UpsertStation or Import).
	CreatePairingCode(ctx context.Context, station, role, name string) (PairingCode, error)
	// Pair redeems a pairing code (case, spaces and dashes ignored) for the device holding
	// pub and enrols it with the next short code of its role at the station: K1, K2 … for
	// kiosks, W1 … for walls. name, when not empty, overrides the name given with the code.
	// It returns ErrInvalidKey for a key that is not an Ed25519 public key, and
	// ErrCodeUnknown, ErrCodeUsed or ErrCodeExpired (at or after Expires); a code redeemed by
	// several devices at once enrols exactly one of them.
	Pair(ctx context.Context, code string, pub ed25519.PublicKey, name string) (DeviceInfo, error)
	// PendingPairings lists the pairing codes still waiting for their device (not redeemed,
	// not cancelled, not expired), soonest expiry first.
	PendingPairings(ctx context.Context) ([]PendingPairing, error)
	// PendingPairing returns the waiting code typed as code (case, spaces and dashes
	// ignored), or ErrCodeUnknown, ErrCodeUsed (redeemed or cancelled) or ErrCodeExpired.
	PendingPairing(ctx context.Context, code string) (PendingPairing, error)
	// CancelPairing withdraws a waiting code by its ID: redeeming it from then on is
	// ErrCodeUsed. It returns ErrNotFound when no waiting code has that ID.
	CancelPairing(ctx context.Context, id int64) error
	// Devices lists every enrolled device, revoked ones too, by station and code.
	Devices(ctx context.Context) ([]DeviceInfo, error)
	// RevokeDeviceBy marks a device revoked; ApplyFacts refuses it from then on. The person
	// who revoked it is the actor of the device.revoked event it appends to the log (the
	// audit trail). It returns ErrUnknownDevice for a device never enrolled.
	RevokeDeviceBy(ctx context.Context, id string, actor domain.Actor) error
	// RevokedDevices lists the ids of every revoked device, so a server can end their
	// sessions whichever process revoked them.
	RevokedDevices(ctx context.Context) ([]string, error)
}

// Casework reads the case projections and records what staff and the hub do to cases.
type Casework interface {
	// Cases returns case projections matching f, newest submission first.
	Cases(ctx context.Context, f CaseFilter) ([]domain.Case, error)
	// Case returns one case by id (its stream), or ErrNotFound.
	Case(ctx context.Context, id string) (domain.Case, error)
	// CaseByNumber returns the case with the human number, or ErrNotFound.
	CaseByNumber(ctx context.Context, number string) (domain.Case, error)
	// Act records a staff action on a case, strictly, and returns the stored event (Device
	// domain.HubDevice, the case's station). It returns ErrNotFound for a case never
	// submitted and the *domain.TransitionError for an action the case's state does not
	// allow; either way nothing is appended.
	Act(ctx context.Context, caseID string, kind domain.Kind, actor domain.Actor, payload any) (domain.Event, error)
	// CloseUnrated closes, as the hub, every replied case whose rating window has passed,
	// and returns how many it closed.
	CloseUnrated(ctx context.Context) (int, error)
	// BoardCounts returns each station's case figures as of now, exactly as domain.Tally
	// counts that station's cases under the rules in force: what a district's or a city's
	// board adds up.
	BoardCounts(ctx context.Context, now time.Time) (map[string]domain.Tally, error)
}

// Reference reads and records the reference data: stations, departments, categories,
// representatives, activities.
type Reference interface {
	// Station returns a station, or ErrUnknownStation.
	Station(ctx context.Context, code string) (domain.Station, error)
	// Department returns a department by code, or ErrNotFound.
	Department(ctx context.Context, code string) (domain.Department, error)
	// Category returns a case category by code, or ErrNotFound.
	Category(ctx context.Context, code string) (domain.Category, error)
	// Representative returns a representative, or ErrUnknownRep.
	Representative(ctx context.Context, id string) (domain.Representative, error)
	// Activity returns an activity, or ErrActivityNotFound.
	Activity(ctx context.Context, id string) (domain.Activity, error)
	// RefData returns the current payloads of one reference kind (e.g. ref.category) in the
	// order they were last recorded, for a station's scope (its own and global rows), or for
	// every station when station is "".
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
	// UpsertStation records a station (a ref.station event) so devices can be enrolled for
	// it, and returns the stored event. It returns ErrInvalidFact without code or name, or for
	// a station domain.CheckRef refuses.
	UpsertStation(ctx context.Context, st domain.Station, actor domain.Actor) (domain.Event, error)
	// PutRefs records reference items (domain.RefKinds) as ref events with actor, in one
	// transaction: all of them or none. Every write is checked first: its own fields
	// (domain.CheckRef), its key (domain.RefKey of its data), its references (the stations,
	// communities, representatives it names must exist, in the store or earlier in the same
	// writes) and, for Create, that its key is new. Any problem refuses the whole batch with a
	// *RefRefused listing every problem. A write equal to the current item is skipped and
	// counted as Unchanged, so a re-import of the same data appends nothing. An item's events
	// are scoped to its station (domain.RefScope); when an edit would move an existing item
	// to another station it becomes global, so the station that had it sees the change too.
	PutRefs(ctx context.Context, writes []RefWrite, actor domain.Actor) (RefResult, error)
	// RefItem returns the current item of a reference kind with key, or ErrNotFound.
	RefItem(ctx context.Context, kind domain.Kind, key string) (json.RawMessage, error)
	// Import appends events the hub originates (reference data, demo history) once per
	// name, in the order given, and projects them; it reports whether it appended: a second
	// Import with the same name appends nothing and reports false. Case events are folded
	// without the lifecycle's checks: an import is history that already happened.
	Import(ctx context.Context, name string, evs []domain.Event) (bool, error)
}

// Badging issues and revokes representatives' badges and records the check-ins and duty
// signs that depend on the hub's keys.
type Badging interface {
	// IssueBadge signs a new badge for a representative, valid until validUntil (zero:
	// DefaultBadgeValidity from now). It returns ErrUnknownRep, ErrRepRetired, or domain.ErrBadgeMalformed
	// for an end that is not in the future. Serials are never reused.
	IssueBadge(ctx context.Context, repID string, validUntil time.Time) (BadgeRecord, error)
	// RevokeBadge records the revocation of a badge (an event stations sync) and returns it.
	// It returns ErrBadgeNotFound or ErrBadgeIsRevoked.
	RevokeBadge(ctx context.Context, serial, reason string, actor domain.Actor) (domain.Event, error)
	// Badges lists every badge issued, revoked ones without their payload.
	Badges(ctx context.Context) ([]BadgeRecord, error)
	// DutySigns lists a station's duty facts of a day (YYYY-MM-DD, China time) in the order
	// they happened, with repeats marked.
	DutySigns(ctx context.Context, station, day string) ([]DutySign, error)
	// VerifyCheckInCode checks a rotating check-in code (signature of an enrolled, unrevoked
	// device, window) without recording anything; it returns the domain's code errors.
	VerifyCheckInCode(ctx context.Context, code string) (domain.CheckInCode, error)
	// PhoneCheckIn records a check-in from a resident's phone: the code must verify (the
	// domain's code errors; a code shown by a device of another station than the activity's
	// is domain.ErrCheckInDevice), the phone be a mainland mobile number (ErrBadPhone), the
	// activity exist (ErrActivityNotFound) and be open (ErrActivityNotOpen, from
	// CheckInOpenBefore its start to its end); a phone checks in once per activity
	// (ErrAlreadyCheckedIn, nothing recorded).
	PhoneCheckIn(ctx context.Context, code, phone string) (CheckInResult, error)
	// PhoneSignUp signs the holder of a mainland mobile number (ErrBadPhone) up for an
	// activity (ErrActivityNotFound), or with cancel takes the sign-up back, and returns the
	// place the hub decided at once. A sign-up is refused, nothing recorded, for a cancelled
	// activity (ErrActivityCancelled) and outside the sign-up window (ErrSignUpNotOpen,
	// ErrSignUpClosed); a repeat records nothing; cancelling without a sign-up is ErrNoSignUp.
	// The phone is kept only as a keyed hash, the same person id as its check-ins.
	PhoneSignUp(ctx context.Context, activity, phone string, cancel bool) (SignUpResult, error)
	// PhoneSignUpStatus returns the phone's place at an activity, ErrNoSignUp when it never
	// signed up.
	PhoneSignUpStatus(ctx context.Context, activity, phone string) (SignUpResult, error)
	// ActivityRoster returns who has a place at an activity and who waits, in order, as the
	// hub decided from the sign-ups and cancellations of every kiosk and phone in log order
	// (domain.Roster); ErrActivityNotFound.
	ActivityRoster(ctx context.Context, activity string) (Roster, error)
}

// Admin is the store's own upkeep.
type Admin interface {
	// Ping checks the store answers.
	Ping(ctx context.Context) error
	// RebuildProjections recomputes the case and reference projections from the log and
	// returns how many events it read; the log itself is not touched.
	RebuildProjections(ctx context.Context) (events int, err error)
	// Close releases the store and closes every subscription.
	Close() error
}
