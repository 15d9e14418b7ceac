package app

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"liaison/app/store"
	"liaison/sync/client"
)

// Version is set at build time (-ldflags "-X liaison/app.Version=…").
var Version = "dev"

// Meta keys of the station store that hold its identity.
const (
	metaDeviceID     = "device_id"
	metaDeviceCode   = "device_code"
	metaStation      = "station"
	metaStationName  = "station_name"
	metaHubSignKey   = "hub_sign_key"
	metaHubBoxKey    = "hub_box_key"
	metaResidentHash = "resident_hash_key"
	metaDeviceKey    = "device_key"
)

// Identity is who this device is to the hub, read from the store once at start-up.
type Identity struct {
	DeviceID    string
	DeviceCode  string
	Station     string
	StationName string
	Key         ed25519.PrivateKey // this device's signing key
	HubSign     ed25519.PublicKey  // verifies badges; nil before pairing
	HubBox      *[32]byte          // ID numbers are sealed to it; nil before pairing
	HashKey     []byte             // the district's key for resident hashes
	HubURL      string             // the hub it talks to (the settings' hub URL)
}

// IdentityRef holds the device's identity for every service. Pairing on the technician
// screen replaces it while the station runs, so what it records next is the new device's.
type IdentityRef struct {
	mu sync.RWMutex
	id Identity
}

// NewIdentityRef holds id.
func NewIdentityRef(id Identity) *IdentityRef { return &IdentityRef{id: id} }

// Get returns the identity now; a nil ref is an unpaired device's.
func (r *IdentityRef) Get() Identity {
	if r == nil {
		return Identity{}
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.id
}

// Set replaces the identity.
func (r *IdentityRef) Set(id Identity) {
	r.mu.Lock()
	r.id = id
	r.mu.Unlock()
}

// Paired reports whether the device was enrolled at a hub.
func (id Identity) Paired() bool { return id.DeviceID != "" && id.HubBox != nil }

// PrepareDataDir writes the settings into the data directory (creating it) and, when the
// launch sets a technician PIN, stores its hash there too.
func PrepareDataDir(cfg *Config, launch Launch) error {
	if err := cfg.Save(); err != nil {
		return fmt.Errorf("data directory %s: %w", cfg.DataDir, err)
	}
	if launch.TechPIN == "" {
		return nil
	}
	h, err := HashPIN(launch.TechPIN)
	if err != nil {
		return err
	}
	cfg.TechPINHash = h
	return cfg.Save()
}

// LoadIdentity reads the device key and hub keys from the store, making the device key and
// the resident hash key on first start.
func LoadIdentity(ctx context.Context, st *store.Store) (Identity, error) {
	get := func(k string) string {
		v, _ := st.Meta(ctx, k)
		return v
	}
	keyHex := get(metaDeviceKey)
	if keyHex == "" {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return Identity{}, fmt.Errorf("make device key: %w", err)
		}
		keyHex = hex.EncodeToString(priv.Seed())
		if err := st.SetMeta(ctx, metaDeviceKey, keyHex); err != nil {
			return Identity{}, fmt.Errorf("save device key: %w", err)
		}
	}
	seed, err := hex.DecodeString(keyHex)
	if err != nil || len(seed) != ed25519.SeedSize {
		return Identity{}, fmt.Errorf("device key in store is damaged")
	}
	hashHex := get(metaResidentHash)
	if hashHex == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return Identity{}, fmt.Errorf("make resident hash key: %w", err)
		}
		hashHex = hex.EncodeToString(b)
		if err := st.SetMeta(ctx, metaResidentHash, hashHex); err != nil {
			return Identity{}, fmt.Errorf("save resident hash key: %w", err)
		}
	}
	hashKey, _ := hex.DecodeString(hashHex)
	id := Identity{
		DeviceID:    get(metaDeviceID),
		DeviceCode:  get(metaDeviceCode),
		Station:     get(metaStation),
		StationName: get(metaStationName),
		Key:         ed25519.NewKeyFromSeed(seed),
		HashKey:     hashKey,
	}
	if b, err := base64.StdEncoding.DecodeString(get(metaHubSignKey)); err == nil && len(b) == ed25519.PublicKeySize {
		id.HubSign = ed25519.PublicKey(b)
	}
	if b, err := base64.StdEncoding.DecodeString(get(metaHubBoxKey)); err == nil && len(b) == 32 {
		var k [32]byte
		copy(k[:], b)
		id.HubBox = &k
	}
	return id, nil
}

// ErrHasHistory refuses re-pairing a device that has recorded facts: the hub would number a
// new device's facts from one and refuse the ones this device numbers after its old ones.
var ErrHasHistory = errors.New("device has recorded facts under its current enrolment")

// Pair trades a one-time code for this device's enrolment at the hub and returns the
// identity it gave. The device's name at the hub is the one given with the code unless the
// settings name this device (cfg.Name).
func Pair(ctx context.Context, st *store.Store, cfg Config, code string, log *slog.Logger) (Identity, error) {
	if cfg.HubURL == "" {
		return Identity{}, errors.New("pairing needs --hub")
	}
	id, err := LoadIdentity(ctx, st)
	if err != nil {
		return Identity{}, err
	}
	if id.Paired() {
		if n, err := st.LastLocalSeq(ctx); err != nil {
			return Identity{}, fmt.Errorf("count recorded facts: %w", err)
		} else if n > 0 {
			return Identity{}, fmt.Errorf("re-pair: %w (%d)", ErrHasHistory, n)
		}
	}
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	en, err := client.Pair(pctx, cfg.HubURL, code, id.Key.Public().(ed25519.PublicKey), strings.TrimSpace(cfg.Name))
	if err != nil {
		return Identity{}, fmt.Errorf("pair with hub %s: %w", cfg.HubURL, err)
	}
	if en.Role != "" && en.Role != cfg.Role {
		log.Warn("pairing code was made for another role", "code_role", en.Role, "role", cfg.Role)
	}
	for k, v := range map[string]string{
		metaDeviceID: en.DeviceID, metaDeviceCode: en.DeviceCode, metaStation: en.Station,
		metaStationName: en.StationName,
		metaHubSignKey:  base64.StdEncoding.EncodeToString(en.HubSignKey),
		metaHubBoxKey:   base64.StdEncoding.EncodeToString(en.HubBoxKey[:]),
	} {
		if err := st.SetMeta(ctx, k, v); err != nil {
			return Identity{}, fmt.Errorf("save enrolment: %w", err)
		}
	}
	if len(en.ResidentKey) > 0 {
		// The district's key replaces the one made locally, so residents registered anywhere
		// in the district are recognised here.
		if err := st.SetMeta(ctx, metaResidentHash, hex.EncodeToString(en.ResidentKey)); err != nil {
			return Identity{}, fmt.Errorf("save enrolment: %w", err)
		}
	}
	log.Info("paired with hub", "hub", cfg.HubURL, "device", en.DeviceID, "station", en.Station)
	out, err := LoadIdentity(ctx, st)
	out.HubURL = cfg.HubURL
	return out, err
}
