package domain

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"errors"
)

// Badges and rotating check-in codes share one compact shape, to keep their QR codes small:
// base64url(version ‖ uint32 big-endian ‖ short string ‖ short string ‖ Ed25519 signature),
// where a short string is a length byte and that many bytes.

type signedPair struct {
	number        uint32
	first, second string
	body, sig     []byte // what was signed, and the signature
}

// encodeSignedPair is the part that is signed: version, number, first and second. The caller
// has checked that both strings fit a length byte.
func encodeSignedPair(version byte, number uint32, first, second string) []byte {
	out := make([]byte, 0, 1+4+2+len(first)+len(second))
	out = append(out, version)
	out = binary.BigEndian.AppendUint32(out, number)
	out = append(out, byte(len(first)))
	out = append(out, first...)
	out = append(out, byte(len(second)))
	return append(out, second...)
}

// decodeSignedPair checks the shape of text and takes it apart; the signature is not verified.
func decodeSignedPair(text string, version byte) (signedPair, error) {
	var f signedPair
	raw, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return f, err
	}
	if len(raw) < 1+4+1+1+1+1+ed25519.SignatureSize || raw[0] != version {
		return f, errors.New("too short or unknown version")
	}
	f.body, f.sig = raw[:len(raw)-ed25519.SignatureSize], raw[len(raw)-ed25519.SignatureSize:]
	r := bytes.NewReader(f.body[5:])
	first, ok1 := readShort(r)
	second, ok2 := readShort(r)
	if !ok1 || !ok2 || r.Len() != 0 || first == "" || second == "" {
		return f, errors.New("bad fields")
	}
	f.number = binary.BigEndian.Uint32(f.body[1:5])
	f.first, f.second = first, second
	return f, nil
}

func readShort(r *bytes.Reader) (string, bool) {
	n, err := r.ReadByte()
	if err != nil || int(n) > r.Len() {
		return "", false
	}
	buf := make([]byte, n)
	if _, err := r.Read(buf); err != nil && n > 0 {
		return "", false
	}
	return string(buf), true
}
