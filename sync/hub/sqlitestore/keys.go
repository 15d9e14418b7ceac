package sqlitestore

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/box"
)

// File names of the hub's keys in the data directory. Both hold 32 raw bytes, mode 0600.
const (
	SignKeyFile = "hub_sign.key" // Ed25519 seed: signs representative badges
	BoxKeyFile  = "hub_box.key"  // Curve25519 private key: stations seal ID numbers to it
	// ResidentKeyFile is the district's key for the keyed hash of ID numbers that recognises a
	// returning resident at any station. Stations receive it at pairing.
	ResidentKeyFile = "hub_resident.key"
)

// ErrBadKeyFile means a key file exists but does not hold a key.
var ErrBadKeyFile = errors.New("bad key file")

// ErrSealed means a sealed box could not be opened with the hub's key.
var ErrSealed = errors.New("cannot open sealed data")

// Keys are the hub's long-lived key pairs.
type Keys struct {
	sign   ed25519.PrivateKey
	boxPub [32]byte
	boxPri [32]byte
	res    [32]byte
}

// loadKeys reads the key files of dir, creating missing ones. A key is never regenerated over
// an unreadable file: that would silently orphan every badge and sealed ID number.
func loadKeys(dir string) (*Keys, error) {
	seed, err := loadOrCreate32(filepath.Join(dir, SignKeyFile))
	if err != nil {
		return nil, err
	}
	boxPri, err := loadOrCreate32(filepath.Join(dir, BoxKeyFile))
	if err != nil {
		return nil, err
	}
	res, err := loadOrCreate32(filepath.Join(dir, ResidentKeyFile))
	if err != nil {
		return nil, err
	}
	return newKeys(seed, boxPri, res)
}

func newKeys(seed, boxPri, res [32]byte) (*Keys, error) {
	k := &Keys{sign: ed25519.NewKeyFromSeed(seed[:]), boxPri: boxPri, res: res}
	pub, err := boxPublic(&boxPri)
	if err != nil {
		return nil, err
	}
	k.boxPub = pub
	return k, nil
}

// loadKeysFromDB reads the hub's keys from the hub_keys table of a PostgreSQL store, creating
// missing ones. Two processes starting at once may both generate a key; the first insert
// wins and both read it back, so every process serving the database holds the same keys.
func loadKeysFromDB(ctx context.Context, db *sql.DB) (*Keys, error) {
	var ks [3][32]byte
	for i, name := range []string{SignKeyFile, BoxKeyFile, ResidentKeyFile} {
		var fresh [32]byte
		if _, err := rand.Read(fresh[:]); err != nil {
			return nil, fmt.Errorf("generate key %s: %w", name, err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO hub_keys(name, value) VALUES (?, ?)
			ON CONFLICT(name) DO NOTHING`, name, fresh[:]); err != nil {
			return nil, fmt.Errorf("store key %s: %w", name, err)
		}
		var b []byte
		if err := db.QueryRowContext(ctx, `SELECT value FROM hub_keys WHERE name = ?`, name).Scan(&b); err != nil {
			return nil, fmt.Errorf("read key %s: %w", name, err)
		}
		if len(b) != 32 {
			return nil, fmt.Errorf("%w: key %s holds %d bytes, want 32", ErrBadKeyFile, name, len(b))
		}
		copy(ks[i][:], b)
	}
	return newKeys(ks[0], ks[1], ks[2])
}

func loadOrCreate32(path string) ([32]byte, error) {
	var key [32]byte
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if len(b) != len(key) {
			return key, fmt.Errorf("%w: %s holds %d bytes, want %d", ErrBadKeyFile, path, len(b), len(key))
		}
		copy(key[:], b)
		return key, nil
	case errors.Is(err, fs.ErrNotExist):
	default:
		return key, fmt.Errorf("read key %s: %w", path, err)
	}
	if _, err := rand.Read(key[:]); err != nil {
		return key, fmt.Errorf("generate key %s: %w", path, err)
	}
	if err := writeFileAtomic(path, key[:], 0o600); err != nil {
		return key, fmt.Errorf("write key %s: %w", path, err)
	}
	return key, nil
}

func boxPublic(pri *[32]byte) ([32]byte, error) {
	var pub [32]byte
	p, err := curve25519.X25519(pri[:], curve25519.Basepoint)
	if err != nil {
		return pub, fmt.Errorf("derive box public key: %w", err)
	}
	copy(pub[:], p)
	return pub, nil
}

// SignPublicKey is the key stations use to verify badges signed by the hub.
func (k *Keys) SignPublicKey() ed25519.PublicKey {
	return k.sign.Public().(ed25519.PublicKey)
}

// Sign signs msg with the hub's Ed25519 key.
func (k *Keys) Sign(msg []byte) []byte { return ed25519.Sign(k.sign, msg) }

// BoxPublicKey is the Curve25519 key stations seal residents' ID numbers to
// (nacl/box anonymous sealed boxes).
func (k *Keys) BoxPublicKey() [32]byte { return k.boxPub }

// ResidentKey is the district's key for domain.ResidentHash.
func (k *Keys) ResidentKey() []byte { return append([]byte(nil), k.res[:]...) }

// OpenSealed opens an anonymous sealed box addressed to the hub.
func (k *Keys) OpenSealed(sealed []byte) ([]byte, error) {
	out, ok := box.OpenAnonymous(nil, sealed, &k.boxPub, &k.boxPri)
	if !ok {
		return nil, ErrSealed
	}
	return out, nil
}

// writeFileAtomic writes through a temporary file and a rename so a crash never leaves a
// half-written file behind.
func writeFileAtomic(path string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}
