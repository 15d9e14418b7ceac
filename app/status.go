package app

import (
	"context"
	"sync"
	"time"

	"liaison/app/store"
	"liaison/sync/client"
	"liaison/sync/protocol"
)

// StatusSource tells how the station is; System, Technician and Wall read it.
type StatusSource interface {
	Status(ctx context.Context) DeviceStatus
}

// Monitor gathers the health of everything the screen depends on: the store, the devices
// and the link to the hub.
type Monitor struct {
	Config    Config
	StoreOpen bool           // the store is open
	StoreErr  error          // what went wrong opening the station, or nil
	Devices   *DeviceSet     // nil when there are none
	Sync      *client.Client // nil when not paired; SetSync once the station runs
	Store     *store.Store   // nil when it could not be opened

	mu     sync.Mutex
	hubURL string // set by SetSync
}

// SetSync names the sync client (after pairing on the technician screen) and its hub.
func (m *Monitor) SetSync(c *client.Client, hubURL string) {
	m.mu.Lock()
	m.Sync, m.hubURL = c, hubURL
	m.mu.Unlock()
}

func (m *Monitor) link() (*client.Client, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	hub := m.hubURL
	if hub == "" {
		hub = m.Config.HubURL
	}
	return m.Sync, hub
}

// Status implements StatusSource.
func (m *Monitor) Status(ctx context.Context) DeviceStatus {
	syncc, hub := m.link()
	st := DeviceStatus{
		Reader:  PeripheralStatus{State: "off"},
		Scanner: PeripheralStatus{State: "off"},
		Store:   StoreStatus{OK: m.StoreOpen, Path: m.Config.DataDir},
		Sync:    SyncStatus{State: "unpaired", HubURL: hub},
	}
	if m.StoreErr != nil {
		st.Store.Error = m.StoreErr.Error()
	}
	if m.Store != nil {
		st.Store.ReadOnly = m.Store.Mode().Reason
	}
	d := m.Devices.Get()
	if d.Reader != nil {
		r := d.Reader.Status()
		st.Reader = PeripheralStatus{State: string(r.State), Port: d.ReaderPort, Simulated: d.CardSim != nil,
			LastError: r.LastError, LastEventAt: optTime(r.LastCardAt)}
	}
	if d.Scanner != nil {
		r := d.Scanner.Status()
		st.Scanner = PeripheralStatus{State: string(r.State), Port: d.ScannerPort, Simulated: d.ScanSim != nil,
			LastError: r.LastError, LastEventAt: optTime(r.LastScanAt)}
	}
	if syncc != nil {
		c := syncc.Status()
		st.Sync = SyncStatus{
			State: string(c.State), HubURL: hub, LastSyncAt: optTime(c.LastSync),
			ErrorCode: c.ErrorCode, OutboxDepth: c.Outbox, LagEvents: c.Lag, Epoch: c.Epoch,
			Cursor: c.Cursor, Refused: c.Refused,
		}
		if r := c.LastRefused; r != nil {
			st.Sync.LastRefused = &Problem{Code: r.Code, Params: r.Params}
		}
		if c.State == client.StateOffline || c.State == client.StateError || c.State == client.StateRevoked {
			st.Sync.OfflineSince = optTime(offlineSince(c))
		}
	}
	return st
}

// Health is what the heartbeat tells the hub about the devices and the disk of the station's
// data (the sync client's Health; the client adds the sync figures).
func (m *Monitor) Health() protocol.Health {
	st := m.Status(context.Background())
	h := protocol.Health{Reader: st.Reader.State, Scanner: st.Scanner.State}
	h.DiskFree, h.DiskTotal = diskSpace(m.Config.DataDir)
	h.ReadOnly = st.Store.ReadOnly
	return h
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	return timePtr(t)
}

// offlineSince is when the station last had the hub's data: its last full sync, or, before
// any, when the link went down.
func offlineSince(c client.Status) time.Time {
	if !c.LastSync.IsZero() {
		return c.LastSync
	}
	return c.Since
}

// DiskReserve is the free space below which the station stops writing: SQLite needs room
// for its journal, and a disk filled to the last byte can leave other services (the log,
// the window) unable to work either.
const DiskReserve = 64 << 20

// StoreCheckEvery is how often WatchStore looks at the free space and at a read-only store.
const StoreCheckEvery = 30 * time.Second

// CheckStore looks once at the disk of the station's data: below DiskReserve free the store
// turns read-only (disk_full); a store read-only for disk_full writes again once there is
// room and a trial write commits. A system that cannot tell its free space relies on the
// errors SQLite reports.
func (m *Monitor) CheckStore(ctx context.Context) store.Mode {
	if m.Store == nil {
		return store.Mode{}
	}
	free, total := diskSpace(m.Config.DataDir)
	return m.Store.Recheck(ctx, total > 0 && free < DiskReserve)
}

// WatchStore runs CheckStore every StoreCheckEvery until ctx ends, and calls changed with
// the station's status whenever the store's mode differs from the last check's (a failed
// write may have changed it in between), so the screens show or drop their banner.
func (m *Monitor) WatchStore(ctx context.Context, changed func(DeviceStatus)) {
	t := time.NewTicker(StoreCheckEvery)
	defer t.Stop()
	var last store.Mode
	for {
		if now := m.CheckStore(ctx); now.ReadOnly != last.ReadOnly || now.Reason != last.Reason {
			last = now
			changed(m.Status(ctx))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
