package store

import "errors"

// The store's sentinel errors. Methods wrap them with context; callers test with errors.Is.
var (
	// ErrNotFound is returned when a case, department, category or heartbeat asked for does
	// not exist.
	ErrNotFound = errors.New("not found")

	// ErrUnknownDevice is returned for a device id the hub never enrolled.
	ErrUnknownDevice = errors.New("unknown device")
	// ErrRevoked is returned by ApplyFacts for a device that was revoked.
	ErrRevoked = errors.New("device revoked")
	// ErrSequenceGap is returned by ApplyFacts and RefuseFact when a fact's DevSeq is beyond
	// the device's last applied sequence + 1 (after skipping duplicates).
	ErrSequenceGap = errors.New("sequence gap")
	// ErrInvalidFact is wrapped by ApplyFacts's error when a fact can never be applied, however
	// often it is sent: another device's or station's data, a kind or role only the hub
	// records, a malformed payload, a reused event id, an act on another station's case. The
	// result covers the facts before it, so the refused fact is the one at LastDevSeq+1.
	// Facts that merely conflict with the hub's state are not invalid: they are recorded and
	// resolved. UpsertStation returns it for a station without code or name.
	ErrInvalidFact = errors.New("invalid fact")
	// ErrChainBroken is returned by VerifyChain for the first log row whose sequence or hash
	// does not follow from the rows before it.
	ErrChainBroken = errors.New("hash chain broken")

	// Pairing errors. The three code errors are told apart so the technician knows whether to
	// retype the code or ask for a new one.
	ErrCodeUnknown    = errors.New("pairing code unknown")
	ErrCodeExpired    = errors.New("pairing code expired")
	ErrCodeUsed       = errors.New("pairing code already used")
	ErrInvalidKey     = errors.New("invalid device public key")
	ErrInvalidRole    = errors.New("invalid device role")
	ErrUnknownStation = errors.New("unknown station")

	// Badge errors.
	ErrUnknownRep = errors.New("unknown representative")
	// ErrRepRetired is returned by IssueBadge for a representative the reference data marks
	// retired.
	ErrRepRetired     = errors.New("representative retired")
	ErrBadgeNotFound  = errors.New("badge not found")
	ErrBadgeIsRevoked = errors.New("badge already revoked")

	// Check-in errors (besides the domain's code errors).
	ErrActivityNotFound = errors.New("activity not found")
	ErrActivityNotOpen  = errors.New("activity not open for check-in")
	ErrAlreadyCheckedIn = errors.New("already checked in")
	ErrBadPhone         = errors.New("bad phone number")

	// Sign-up errors.
	ErrActivityCancelled = errors.New("activity cancelled")
	ErrSignUpNotOpen     = errors.New("sign-up not open yet")
	ErrSignUpClosed      = errors.New("sign-up closed")
	ErrNoSignUp          = errors.New("no sign-up")
)
