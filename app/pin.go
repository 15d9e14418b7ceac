package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// DefaultTechPIN is accepted while no PIN has been set at provisioning; the technician
// screen says so, so that a device is not left on it.
const DefaultTechPIN = "246810"

// HashPIN returns an argon2id hash of pin in the form "argon2id$salt$key".
func HashPIN(pin string) (string, error) {
	if len(pin) < 4 || len(pin) > 8 || strings.Trim(pin, "0123456789") != "" {
		return "", fmt.Errorf("pin must be 4 to 8 digits")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pin), salt, 1, 19*1024, 1, 32)
	enc := base64.RawStdEncoding
	return "argon2id$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key), nil
}

// CheckPIN reports whether pin matches hash (or the default PIN when hash is empty).
func CheckPIN(hash, pin string) bool {
	if hash == "" {
		return subtle.ConstantTimeCompare([]byte(pin), []byte(DefaultTechPIN)) == 1
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 3 || parts[0] != "argon2id" {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[1])
	want, err2 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(want) != 32 {
		return false
	}
	got := argon2.IDKey([]byte(pin), salt, 1, 19*1024, 1, 32)
	return subtle.ConstantTimeCompare(got, want) == 1
}
