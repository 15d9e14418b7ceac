package idcard

import (
	"fmt"
)

// Payload sizes.
const (
	PhotoLen       = 1024 // WLT-compressed photo
	AddressLen     = 70   // appended address, UCS-2LE
	FingerprintMax = 1024 // two fingerprints of 512 bytes
)

func be16(b []byte) int { return int(b[0])<<8 | int(b[1]) }

// ParseBaseRead decodes the DATA of a successful read-base-message (30 01) response:
// text length, photo length, text, photo. The photo is skipped, only its length kept.
func ParseBaseRead(data []byte) (*Card, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("parse base read: %w: %d bytes", ErrShortData, len(data))
	}
	textLen, photoLen := be16(data[0:2]), be16(data[2:4])
	return parseBlocks(data[4:], textLen, photoLen, 0)
}

// ParseFingerprintRead decodes the DATA of a successful 30 10 response: text, photo and
// fingerprint lengths (the last 0, 512 or 1024), then the blocks in that order.
func ParseFingerprintRead(data []byte) (*Card, error) {
	if len(data) < 6 {
		return nil, fmt.Errorf("parse fingerprint read: %w: %d bytes", ErrShortData, len(data))
	}
	textLen, photoLen, fpLen := be16(data[0:2]), be16(data[2:4]), be16(data[4:6])
	if fpLen != 0 && fpLen != 512 && fpLen != FingerprintMax {
		return nil, fmt.Errorf("parse fingerprint read: %w: fingerprint length %d", ErrLength, fpLen)
	}
	return parseBlocks(data[6:], textLen, photoLen, fpLen)
}

func parseBlocks(rest []byte, textLen, photoLen, fpLen int) (*Card, error) {
	if textLen < TextLen || textLen > MaxLen || photoLen > MaxLen {
		return nil, fmt.Errorf("parse card data: %w: text %d, photo %d", ErrLength, textLen, photoLen)
	}
	if need := textLen + photoLen + fpLen; len(rest) < need {
		return nil, fmt.Errorf("parse card data: %w: have %d bytes, lengths say %d", ErrShortData, len(rest), need)
	}
	c, err := ParseText(rest[:textLen])
	if err != nil {
		return nil, err
	}
	c.PhotoLen = photoLen
	c.FingerprintLen = fpLen
	return c, nil
}

// ParseNewestAddress decodes the DATA of a successful 30 03 response. A card without an
// appended address answers SW3 0x91 instead (ErrNoContent from Response.Err).
func ParseNewestAddress(data []byte) (string, error) {
	if len(data) < AddressLen {
		return "", fmt.Errorf("parse newest address: %w: %d bytes", ErrShortData, len(data))
	}
	return field(data, 0, AddressLen), nil
}
