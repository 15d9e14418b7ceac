package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// StaffTokenFile holds the staff API's bearer token in the data directory (mode 0600).
const StaffTokenFile = "staff.token"

// LoadOrCreateStaffToken returns the staff token of dir, creating a random one on first use.
func LoadOrCreateStaffToken(dir string) (string, error) {
	path := filepath.Join(dir, StaffTokenFile)
	b, err := os.ReadFile(path)
	if err == nil {
		tok := strings.TrimSpace(string(b))
		if len(tok) < 16 {
			return "", fmt.Errorf("read staff token %s: too short (%d characters)", path, len(tok))
		}
		return tok, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("read staff token %s: %w", path, err)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("generate staff token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	// Written aside and hard-linked into place: the link fails if another process made the
	// token meanwhile, and nobody ever reads a half-written file.
	tmp, err := os.CreateTemp(dir, "."+StaffTokenFile+".*")
	if err != nil {
		return "", fmt.Errorf("create staff token in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(tok + "\n")
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return "", fmt.Errorf("write staff token: %w", werr)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return LoadOrCreateStaffToken(dir)
	} else if err != nil {
		return "", fmt.Errorf("create staff token %s: %w", path, err)
	}
	return tok, nil
}

// bearerOK compares the request's bearer token with want in constant time.
func bearerOK(header, want string) bool {
	got, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || want == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) == 1
}
