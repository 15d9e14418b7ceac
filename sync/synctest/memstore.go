// Package synctest holds cross-package sync tests, benchmarks and in-memory stores that follow
// the wsserver.Store and client.LocalStore contracts, for tests that need a store without
// SQLite.
package synctest

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"strings"
	"sync"

	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/hub/wsserver"
	"liaison/sync/protocol"
)

// MemHub is an in-memory wsserver.Store.
type MemHub struct {
	mu       sync.Mutex
	epoch    string
	devices  map[string]store.Device
	lastDev  map[string]int64
	log      []domain.Event
	beats    map[string][]byte
	refused  map[string][]domain.Event // by device
	applyErr error                     // when set, ApplyFacts fails with it
}

var (
	_ wsserver.Store       = (*MemHub)(nil)
	_ wsserver.FactRefuser = (*MemHub)(nil)
)

// NewMemHub returns an empty hub log with the given epoch.
func NewMemHub(epoch string) *MemHub {
	return &MemHub{epoch: epoch, devices: map[string]store.Device{}, lastDev: map[string]int64{},
		beats: map[string][]byte{}, refused: map[string][]domain.Event{}}
}

// Enroll adds a device.
func (h *MemHub) Enroll(id, station string, pub ed25519.PublicKey) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.devices[id] = store.Device{ID: id, Code: id, Station: station, Role: "kiosk", PublicKey: pub}
}

// Revoke marks a device revoked.
func (h *MemHub) Revoke(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.devices[id]
	d.Revoked = true
	h.devices[id] = d
}

// SetApplyError makes ApplyFacts fail with err (nil to heal).
func (h *MemHub) SetApplyError(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.applyErr = err
}

// AppendHub appends an event originated by the hub and returns the log's last sequence.
func (h *MemHub) AppendHub(ev domain.Event) int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	ev.Device = domain.HubDevice
	ev.HubSeq = int64(len(h.log)) + 1
	h.log = append(h.log, ev)
	return ev.HubSeq
}

// Log returns a copy of the hub log.
func (h *MemHub) Log() []domain.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.log)
}

// Heartbeat returns the last health record of a device.
func (h *MemHub) Heartbeat(device string) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.beats[device]
}

// Copy returns a hub holding the same state under a new epoch, as a restored backup would.
func (h *MemHub) Copy(epoch string) *MemHub {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := NewMemHub(epoch)
	for k, v := range h.devices {
		c.devices[k] = v
	}
	for k, v := range h.lastDev {
		c.lastDev[k] = v
	}
	c.log = slices.Clone(h.log)
	for k, v := range h.refused {
		c.refused[k] = slices.Clone(v)
	}
	return c
}

func (h *MemHub) Epoch() string { return h.epoch }

func (h *MemHub) Device(_ context.Context, id string) (store.Device, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	d, ok := h.devices[id]
	if !ok {
		return store.Device{}, store.ErrUnknownDevice
	}
	return d, nil
}

func (h *MemHub) LastDevSeq(_ context.Context, device string) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastDev[device], nil
}

func (h *MemHub) ApplyFacts(_ context.Context, device string, facts []domain.Event) (store.ApplyResult, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	last := h.lastDev[device]
	res := store.ApplyResult{LastDevSeq: last, LastSeq: int64(len(h.log))}
	if h.applyErr != nil {
		return res, h.applyErr
	}
	for _, f := range facts {
		switch {
		case f.DevSeq <= last:
			res.Duplicates++
			continue
		case f.DevSeq != last+1:
			res.LastDevSeq, res.LastSeq = last, int64(len(h.log))
			h.lastDev[device] = last
			return res, fmt.Errorf("fact %d after %d: %w", f.DevSeq, last, store.ErrSequenceGap)
		}
		if ferr := h.check(device, f); ferr != nil {
			h.lastDev[device] = last
			res.LastDevSeq, res.LastSeq = last, int64(len(h.log))
			return res, fmt.Errorf("fact %s: %w: %w", f.ID, store.ErrInvalidFact, ferr)
		}
		f.HubSeq = int64(len(h.log)) + 1
		h.log = append(h.log, f)
		last = f.DevSeq
		res.Applied++
	}
	h.lastDev[device] = last
	res.LastDevSeq, res.LastSeq = last, int64(len(h.log))
	return res, nil
}

// check is the part of the hub's admission this double keeps: the fact is the device's own,
// of its station, and not reference data (content validation is sqlitestore's, tested there).
func (h *MemHub) check(device string, f domain.Event) *domain.FactError {
	dev := h.devices[device]
	switch {
	case f.Device != device:
		return &domain.FactError{Code: domain.CodeWrongDevice, Field: "device", Detail: "another device"}
	case f.Station != dev.Station:
		return &domain.FactError{Code: domain.CodeScope, Field: "station", Detail: "another station"}
	case strings.HasPrefix(string(f.Kind), "ref."):
		return &domain.FactError{Code: domain.CodeHubOnly, Field: "kind", Detail: "reference data"}
	}
	return nil
}

// RefuseFact sets an invalid fact aside and moves the device past it.
func (h *MemHub) RefuseFact(_ context.Context, device string, f domain.Event, _ domain.FactCode, _ string) (store.ApplyResult, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	last := h.lastDev[device]
	res := store.ApplyResult{LastDevSeq: last, LastSeq: int64(len(h.log))}
	switch {
	case f.DevSeq <= last:
		res.Duplicates = 1
		return res, nil
	case f.DevSeq != last+1:
		return res, fmt.Errorf("refuse fact %d after %d: %w", f.DevSeq, last, store.ErrSequenceGap)
	}
	h.refused[device] = append(h.refused[device], f)
	h.lastDev[device], res.LastDevSeq = f.DevSeq, f.DevSeq
	return res, nil
}

// Refused returns the facts set aside for a device.
func (h *MemHub) Refused(device string) []domain.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.refused[device])
}

func (h *MemHub) EventsAfter(_ context.Context, station string, after int64, limit int) ([]domain.Event, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []domain.Event
	size := 0
	for i := max(after, 0); i < int64(len(h.log)) && len(out) < limit && size < protocol.MaxPageBytes; i++ {
		if e := h.log[i]; e.Station == station || e.Station == "" {
			out = append(out, e)
			size += protocol.EventSize(&e)
		}
	}
	return out, nil
}

func (h *MemHub) LastSeq(context.Context) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return int64(len(h.log)), nil
}

func (h *MemHub) RecordHeartbeat(_ context.Context, device string, health []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.beats[device] = slices.Clone(health)
	return nil
}

// MemStation is an in-memory client.LocalStore.
type MemStation struct {
	mu       sync.Mutex
	device   string
	own      []domain.Event // DevSeq i+1 at index i
	uploaded int64
	epoch    string
	cursor   int64
	remote   []domain.Event // events learned from the hub, ascending HubSeq
	applied  map[string]int // times each event id was applied
}

var _ client.LocalStore = (*MemStation)(nil)

// NewMemStation returns an empty station store for device.
func NewMemStation(device string) *MemStation {
	return &MemStation{device: device, applied: map[string]int{}}
}

// Record commits a local fact with the next DevSeq and returns it.
func (s *MemStation) Record(ev domain.Event) domain.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev.Device = s.device
	ev.DevSeq = int64(len(s.own)) + 1
	ev.HubSeq = 0
	s.own = append(s.own, ev)
	return ev
}

// Remote returns the events learned from the hub.
func (s *MemStation) Remote() []domain.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.remote)
}

// AppliedTwice returns ids of events applied more than once since the last reset.
func (s *MemStation) AppliedTwice() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id, n := range s.applied {
		if n > 1 {
			out = append(out, id)
		}
	}
	return out
}

// Uploaded returns the highest DevSeq marked uploaded.
func (s *MemStation) Uploaded() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uploaded
}

func (s *MemStation) LocalFactsAfter(_ context.Context, after int64, limit int) ([]domain.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	after = max(after, 0)
	if after >= int64(len(s.own)) {
		return nil, nil
	}
	end := min(int64(len(s.own)), after+int64(limit))
	return slices.Clone(s.own[after:end]), nil
}

func (s *MemStation) LastLocalSeq(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return int64(len(s.own)), nil
}

func (s *MemStation) MarkUploaded(_ context.Context, devSeq int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uploaded = devSeq
	return nil
}

func (s *MemStation) Cursor(context.Context) (string, int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.epoch, s.cursor, nil
}

func (s *MemStation) ApplyRemote(_ context.Context, epoch string, evs []domain.Event, seq int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if epoch != s.epoch {
		return fmt.Errorf("apply remote: epoch %s, cursor epoch %s", epoch, s.epoch)
	}
	for _, e := range evs {
		s.remote = append(s.remote, e)
		s.applied[e.ID]++
	}
	s.cursor = seq
	return nil
}

func (s *MemStation) ResetRemote(_ context.Context, epoch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch, s.cursor, s.remote = epoch, 0, nil
	s.applied = map[string]int{}
	return nil
}
