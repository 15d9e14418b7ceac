package domain

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// ResidentHash is the keyed hash that recognises a returning resident without keeping the ID
// number. The key is the district's (the hub hands it to each device at pairing), so a resident
// is recognised at every station of the district. The number is normalised first so that a
// lower-case x still matches.
func ResidentHash(key []byte, idNumber string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(strings.ToUpper(strings.TrimSpace(idNumber))))
	return hex.EncodeToString(m.Sum(nil))
}

// ResidentID is derived from the keyed hash, so the same person maps to the same resident id
// wherever they register, without a table that holds the number.
func ResidentID(hash string) string {
	if len(hash) < 20 {
		return "R-" + hash
	}
	return "R-" + hash[:20]
}
