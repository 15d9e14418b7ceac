package domain

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A representative's login ticket: after a badge scan, the kiosk's workbench shows a QR that
// logs the representative in on their phone. The kiosk signs the ticket with its device key,
// so it needs no hub to make one; the hub checks it when the phone opens it and lets each
// ticket log in once.

// RepTicketTTL is the longest a login ticket may be valid for.
const RepTicketTTL = 2 * time.Minute

// RepTicketSkew is how far the kiosk's clock and the hub's may disagree: a ticket is taken
// from this long before it was issued until this long after it expires.
const RepTicketSkew = 30 * time.Second

// RepTicketNonceSize is the length of a ticket's random nonce in bytes.
const RepTicketNonceSize = 16

// repTicketContext keeps a device's ticket signatures apart from its other signatures.
const repTicketContext = "liaison.replogin.v1"

const repTicketVersion = 1

// Login ticket errors.
var (
	ErrTicketMalformed = errors.New("login ticket malformed")
	ErrTicketForged    = errors.New("login ticket signature does not verify")
	ErrTicketStale     = errors.New("login ticket outside its validity")
	ErrTicketDevice    = errors.New("login ticket from an unknown or revoked device")
)

// RepTicket says: this device, at this station, logs this representative in between Issued
// and Expires, once (Nonce).
type RepTicket struct {
	Rep     string    `json:"rep"`
	Device  string    `json:"device"`
	Station string    `json:"station"`
	Issued  time.Time `json:"issued"`
	Expires time.Time `json:"expires"`
	Nonce   string    `json:"nonce"` // hex of RepTicketNonceSize random bytes
}

// NewRepTicket returns a ticket issued at now, valid for RepTicketTTL, with a fresh nonce.
func NewRepTicket(rep, device, station string, now time.Time) (RepTicket, error) {
	n := make([]byte, RepTicketNonceSize)
	if _, err := rand.Read(n); err != nil {
		return RepTicket{}, fmt.Errorf("make ticket nonce: %w", err)
	}
	now = now.Truncate(time.Second)
	return RepTicket{Rep: rep, Device: device, Station: station, Issued: now, Expires: now.Add(RepTicketTTL),
		Nonce: hex.EncodeToString(n)}, nil
}

func (t RepTicket) body() ([]byte, error) {
	for _, f := range []string{t.Rep, t.Device, t.Station} {
		if f == "" || len(f) > MaxBadgeField {
			return nil, fmt.Errorf("%w: rep, device and station must be 1..%d bytes", ErrTicketMalformed, MaxBadgeField)
		}
	}
	nonce, err := hex.DecodeString(t.Nonce)
	if err != nil || len(nonce) != RepTicketNonceSize {
		return nil, fmt.Errorf("%w: nonce", ErrTicketMalformed)
	}
	iss, exp := t.Issued.Unix(), t.Expires.Unix()
	if iss <= 0 || iss > 0xFFFFFFFF || exp <= iss || time.Duration(exp-iss)*time.Second > RepTicketTTL {
		return nil, fmt.Errorf("%w: validity", ErrTicketMalformed)
	}
	out := make([]byte, 0, 1+4+2+RepTicketNonceSize+3+len(t.Rep)+len(t.Device)+len(t.Station))
	out = append(out, repTicketVersion)
	out = binary.BigEndian.AppendUint32(out, uint32(iss))
	out = binary.BigEndian.AppendUint16(out, uint16(exp-iss))
	out = append(out, nonce...)
	for _, f := range []string{t.Device, t.Station, t.Rep} {
		out = append(out, byte(len(f)))
		out = append(out, f...)
	}
	return out, nil
}

// SignRepTicket encodes t (URL-safe base64, no padding) signed with the device's key.
func SignRepTicket(t RepTicket, key ed25519.PrivateKey) (string, error) {
	body, err := t.body()
	if err != nil {
		return "", err
	}
	sig := ed25519.Sign(key, signedMessage(repTicketContext, body))
	return base64.RawURLEncoding.EncodeToString(append(body, sig...)), nil
}

// ParseRepTicket decodes a ticket without verifying it.
func ParseRepTicket(code string) (RepTicket, []byte, []byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(code))
	if err != nil {
		return RepTicket{}, nil, nil, fmt.Errorf("%w: %v", ErrTicketMalformed, err)
	}
	const head = 1 + 4 + 2 + RepTicketNonceSize
	if len(raw) < head+3*2+ed25519.SignatureSize || raw[0] != repTicketVersion {
		return RepTicket{}, nil, nil, fmt.Errorf("%w: too short or unknown version", ErrTicketMalformed)
	}
	body, sig := raw[:len(raw)-ed25519.SignatureSize], raw[len(raw)-ed25519.SignatureSize:]
	iss := int64(binary.BigEndian.Uint32(body[1:5]))
	ttl := int64(binary.BigEndian.Uint16(body[5:7]))
	t := RepTicket{Issued: time.Unix(iss, 0).UTC(), Expires: time.Unix(iss+ttl, 0).UTC(),
		Nonce: hex.EncodeToString(body[7:head])}
	r := bytes.NewReader(body[head:])
	var ok [3]bool
	t.Device, ok[0] = readShort(r)
	t.Station, ok[1] = readShort(r)
	t.Rep, ok[2] = readShort(r)
	if !ok[0] || !ok[1] || !ok[2] || r.Len() != 0 || t.Device == "" || t.Station == "" || t.Rep == "" ||
		ttl == 0 || time.Duration(ttl)*time.Second > RepTicketTTL {
		return RepTicket{}, nil, nil, fmt.Errorf("%w: bad fields", ErrTicketMalformed)
	}
	return t, body, sig, nil
}

// VerifyRepTicket checks a ticket at the hub: its form, the signature of the device it names
// (deviceKey returns nil for a device that is unknown or revoked) and that now is within its
// validity, give or take RepTicketSkew. Whether the device may log representatives in, and
// whether the nonce was used, are the caller's to check.
func VerifyRepTicket(code string, deviceKey func(device string) ed25519.PublicKey, now time.Time) (RepTicket, error) {
	t, body, sig, err := ParseRepTicket(code)
	if err != nil {
		return RepTicket{}, err
	}
	key := deviceKey(t.Device)
	if len(key) != ed25519.PublicKeySize {
		return t, ErrTicketDevice
	}
	if !ed25519.Verify(key, signedMessage(repTicketContext, body), sig) {
		return t, ErrTicketForged
	}
	if now.Before(t.Issued.Add(-RepTicketSkew)) || now.After(t.Expires.Add(RepTicketSkew)) {
		return t, fmt.Errorf("%w: issued %s, expires %s", ErrTicketStale, t.Issued.Format(time.RFC3339),
			t.Expires.Format(time.RFC3339))
	}
	return t, nil
}
