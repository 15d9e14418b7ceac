package domain

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// BadgePrefix starts every badge QR payload, so a scan can be told apart from other codes
// (a check-in URL, a pairing code) before anything is decoded. See docs/badges.md.
const BadgePrefix = "LB1."

// badgeContext separates badge signatures from anything else the hub's key might sign.
const badgeContext = "liaison.badge.v1"

const (
	badgeVersion = 1
	// MaxBadgeField bounds the representative id and the serial: one length byte each.
	MaxBadgeField = 64
)

// Badge errors. A kiosk shows a different message for each; none of them records anything.
var (
	ErrBadgeMalformed = errors.New("badge malformed")
	ErrBadgeForged    = errors.New("badge signature does not verify")
	ErrBadgeExpired   = errors.New("badge expired")
	ErrBadgeRevoked   = errors.New("badge revoked")
)

// Badge is what a representative's badge QR says: who, which badge, until when.
type Badge struct {
	Rep        string    `json:"rep"`         // representative id
	Serial     string    `json:"serial"`      // badge serial, unique at the hub
	ValidUntil time.Time `json:"valid_until"` // whole seconds, UTC
}

// IsBadge reports whether a scanned text looks like a badge (it may still fail to verify).
func IsBadge(text string) bool { return strings.HasPrefix(strings.TrimSpace(text), BadgePrefix) }

// BadgeRevokedStream is the stream of the ref.badge_revoked event of a serial.
func BadgeRevokedStream(serial string) string { return "badge:" + serial }

// BadgeRevocation is the payload of KindBadgeRevoked.
type BadgeRevocation struct {
	Serial string `json:"serial"`
	Rep    string `json:"rep"`
	Reason string `json:"reason"`
}

// body is the signed part: version, valid_until (uint32 seconds), serial and rep, each
// length-prefixed by one byte.
func (b Badge) body() ([]byte, error) {
	if b.Rep == "" || b.Serial == "" || len(b.Rep) > MaxBadgeField || len(b.Serial) > MaxBadgeField {
		return nil, fmt.Errorf("%w: rep and serial must be 1..%d bytes", ErrBadgeMalformed, MaxBadgeField)
	}
	secs := b.ValidUntil.Unix()
	if secs <= 0 || secs > 0xFFFFFFFF {
		return nil, fmt.Errorf("%w: valid_until out of range", ErrBadgeMalformed)
	}
	return encodeSignedPair(badgeVersion, uint32(secs), b.Serial, b.Rep), nil
}

func signedMessage(context string, body []byte) []byte {
	msg := make([]byte, 0, len(context)+1+len(body))
	msg = append(msg, context...)
	msg = append(msg, 0)
	return append(msg, body...)
}

// SignBadge encodes b and signs it with the hub's key into the QR payload.
func SignBadge(b Badge, key ed25519.PrivateKey) (string, error) {
	return SignBadgeWith(b, func(msg []byte) []byte { return ed25519.Sign(key, msg) })
}

// SignBadgeWith is SignBadge for a signer that keeps its private key to itself.
func SignBadgeWith(b Badge, sign func(msg []byte) []byte) (string, error) {
	body, err := b.body()
	if err != nil {
		return "", err
	}
	sig := sign(signedMessage(badgeContext, body))
	if len(sig) != ed25519.SignatureSize {
		return "", fmt.Errorf("sign badge: signature of %d bytes", len(sig))
	}
	return BadgePrefix + base64.RawURLEncoding.EncodeToString(append(body, sig...)), nil
}

// ParseBadge decodes a payload without checking its signature or validity; use VerifyBadge
// for anything that acts on it.
func ParseBadge(payload string) (Badge, []byte, []byte, error) {
	var b Badge
	text := strings.TrimSpace(payload)
	if !strings.HasPrefix(text, BadgePrefix) {
		return b, nil, nil, fmt.Errorf("%w: not a badge", ErrBadgeMalformed)
	}
	f, err := decodeSignedPair(text[len(BadgePrefix):], badgeVersion)
	if err != nil {
		return b, nil, nil, fmt.Errorf("%w: %v", ErrBadgeMalformed, err)
	}
	b = Badge{Serial: f.first, Rep: f.second, ValidUntil: time.Unix(int64(f.number), 0).UTC()}
	body, sig := f.body, f.sig
	return b, body, sig, nil
}

// VerifyBadge checks a scanned payload offline: its form, the hub's signature, that now is
// before valid_until and that the serial is not revoked (revoked may be nil). The error
// matches exactly one of ErrBadgeMalformed, ErrBadgeForged, ErrBadgeExpired, ErrBadgeRevoked.
// Checking the signature before expiry and revocation means a forged badge is never reported
// as merely expired.
func VerifyBadge(payload string, hubKey ed25519.PublicKey, now time.Time, revoked func(serial string) bool) (Badge, error) {
	b, body, sig, err := ParseBadge(payload)
	if err != nil {
		return Badge{}, err
	}
	if len(hubKey) != ed25519.PublicKeySize {
		return Badge{}, fmt.Errorf("%w: no hub key to verify with", ErrBadgeForged)
	}
	if !ed25519.Verify(hubKey, signedMessage(badgeContext, body), sig) {
		return Badge{}, ErrBadgeForged
	}
	if !now.Before(b.ValidUntil) {
		return b, fmt.Errorf("%w on %s", ErrBadgeExpired, b.ValidUntil.Format(time.DateOnly))
	}
	if revoked != nil && revoked(b.Serial) {
		return b, fmt.Errorf("%w: %s", ErrBadgeRevoked, b.Serial)
	}
	return b, nil
}
