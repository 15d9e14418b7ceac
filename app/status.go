package app

import (
	"context"
	"time"

	"liaison/sync/client"
)

// status gathers the health of everything the screen depends on.
func (s *Station) status(ctx context.Context) DeviceStatus {
	st := DeviceStatus{
		Reader:  PeripheralStatus{State: "off"},
		Scanner: PeripheralStatus{State: "off"},
		Store:   StoreStatus{OK: s.store != nil, Path: s.cfg.DataDir},
		Sync:    SyncStatus{State: "unpaired", HubURL: s.cfg.HubURL},
	}
	if s.storeErr != nil {
		st.Store.Error = s.storeErr.Error()
	}
	if s.reader != nil {
		r := s.reader.Status()
		st.Reader = PeripheralStatus{State: string(r.State), Port: s.cfg.Reader, Simulated: s.cardSim != nil,
			LastError: r.LastError, LastEventAt: optTime(r.LastCardAt)}
	}
	if s.scanner != nil {
		r := s.scanner.Status()
		st.Scanner = PeripheralStatus{State: string(r.State), Port: s.cfg.Scanner, Simulated: s.scanSim != nil,
			LastError: r.LastError, LastEventAt: optTime(r.LastScanAt)}
	}
	if s.sync != nil {
		c := s.sync.Status()
		st.Sync = SyncStatus{
			State: string(c.State), HubURL: s.cfg.HubURL, LastSyncAt: optTime(c.LastSync),
			LastError: c.LastError, OutboxDepth: c.Outbox, LagEvents: c.Lag, Epoch: c.Epoch,
			Cursor: c.Cursor, Refused: c.Refused, LastRefused: c.LastRefused,
		}
		if c.State == client.StateOffline || c.State == client.StateError || c.State == client.StateRevoked {
			st.Sync.OfflineSince = optTime(s.offlineSince(c))
		}
	}
	return st
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	return timePtr(t)
}

// offlineSince is when the station last had the hub's data: its last full sync, or, before
// any, when the link went down.
func (s *Station) offlineSince(c client.Status) time.Time {
	if !c.LastSync.IsZero() {
		return c.LastSync
	}
	return c.Since
}
