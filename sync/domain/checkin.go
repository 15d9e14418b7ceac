package domain

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// CheckInWindow is how long one rotating check-in code is shown; a code is accepted in its
// own window and one window either side (clock skew, a slow phone), so a photo of it goes
// stale within about a minute and a half.
const CheckInWindow = 30 * time.Second

// checkInContext keeps a device's check-in signatures apart from its sync-login signatures.
const checkInContext = "liaison.checkin.v1"

const checkInVersion = 1

// Check-in code errors.
var (
	ErrCheckInMalformed = errors.New("check-in code malformed")
	ErrCheckInForged    = errors.New("check-in code signature does not verify")
	ErrCheckInStale     = errors.New("check-in code outside its time window")
	ErrCheckInDevice    = errors.New("check-in code from an unknown or revoked device")
)

// CheckInCode is what a rotating check-in QR says: this device showed this activity's code
// in this window.
type CheckInCode struct {
	Activity string `json:"activity"`
	Device   string `json:"device"`
	Window   int64  `json:"window"` // unix seconds ÷ 30
}

// WindowOf returns the check-in window a time falls in.
func WindowOf(t time.Time) int64 { return t.Unix() / int64(CheckInWindow/time.Second) }

// WindowStart returns when a window begins.
func WindowStart(w int64) time.Time {
	return time.Unix(w*int64(CheckInWindow/time.Second), 0).UTC()
}

func (c CheckInCode) body() ([]byte, error) {
	if c.Activity == "" || c.Device == "" || len(c.Activity) > MaxBadgeField || len(c.Device) > MaxBadgeField {
		return nil, fmt.Errorf("%w: activity and device must be 1..%d bytes", ErrCheckInMalformed, MaxBadgeField)
	}
	if c.Window <= 0 || c.Window > 0xFFFFFFFF {
		return nil, fmt.Errorf("%w: window out of range", ErrCheckInMalformed)
	}
	return encodeSignedPair(checkInVersion, uint32(c.Window), c.Device, c.Activity), nil
}

// SignCheckIn makes the code (URL-safe base64, no padding) for c with the device's key.
func SignCheckIn(c CheckInCode, key ed25519.PrivateKey) (string, error) {
	body, err := c.body()
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(key, signedMessage(checkInContext, body))
	return base64.RawURLEncoding.EncodeToString(append(body, sig...)), nil
}

// ParseCheckIn decodes a code without verifying it.
func ParseCheckIn(code string) (CheckInCode, []byte, []byte, error) {
	var c CheckInCode
	f, err := decodeSignedPair(strings.TrimSpace(code), checkInVersion)
	if err != nil {
		return c, nil, nil, fmt.Errorf("%w: %v", ErrCheckInMalformed, err)
	}
	c = CheckInCode{Device: f.first, Activity: f.second, Window: int64(f.number)}
	body, sig := f.body, f.sig
	return c, body, sig, nil
}

// VerifyCheckIn checks a code at the hub: its form, the signature of the device it names
// (deviceKey returns nil for a device that is unknown or revoked) and that its window is
// within one of now's.
func VerifyCheckIn(code string, deviceKey func(device string) ed25519.PublicKey, now time.Time) (CheckInCode, error) {
	c, body, sig, err := ParseCheckIn(code)
	if err != nil {
		return CheckInCode{}, err
	}
	key := deviceKey(c.Device)
	if len(key) != ed25519.PublicKeySize {
		return CheckInCode{}, ErrCheckInDevice
	}
	if !ed25519.Verify(key, signedMessage(checkInContext, body), sig) {
		return CheckInCode{}, ErrCheckInForged
	}
	if d := WindowOf(now) - c.Window; d > 1 || d < -1 {
		return c, fmt.Errorf("%w: %d windows away", ErrCheckInStale, d)
	}
	return c, nil
}
