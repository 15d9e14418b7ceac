package domain

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// NewEventID returns a new UUIDv7: time-ordered, so ids sort roughly by creation and index
// well, and random enough to be unique across offline devices.
func NewEventID() string {
	// NewV7 only fails when the system's random source does, which the Go runtime treats as
	// fatal anyway.
	return uuid.Must(uuid.NewV7()).String()
}

// CaseNumber is the human case number, e.g. HX01-K1-20261123-0007: station code, device code,
// the day (as given, in its own location), and the device's counter for that day. The device
// code makes numbers unique across devices numbering offline at the same station.
func CaseNumber(station, deviceCode string, day time.Time, counter int) string {
	return fmt.Sprintf("%s-%s-%s-%04d", station, deviceCode, day.Format("20060102"), counter)
}

// NewToken returns an unguessable URL-safe token (128 random bits, 22 characters) for a
// case's public status page.
func NewToken() string {
	var b [16]byte
	// crypto/rand.Read never returns an error on supported platforms (Go 1.24+).
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
