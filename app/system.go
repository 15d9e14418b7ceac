package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// System tells the frontend what this station is and how it is doing.
type System struct {
	settings *Settings
	ids      *IdentityRef
	status   StatusSource
	log      *slog.Logger
	now      func() time.Time
	dataDir  string
	watch    *FrontendWatch // nil: heartbeats are not watched
}

// NewSystem returns the System service of the station whose settings and identity these
// are (both may change while it runs: the technician screen). watch receives the window's
// heartbeats; nil ignores them.
func NewSystem(settings *Settings, ids *IdentityRef, status StatusSource, watch *FrontendWatch, log *slog.Logger, now func() time.Time) *System {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	return &System{settings: settings, ids: ids, status: status, log: log, now: now, dataDir: settings.Get().DataDir, watch: watch}
}

func hubOf(cfg Config, id Identity) string {
	if id.HubURL != "" {
		return id.HubURL
	}
	return cfg.HubURL
}

// NewAppInfo describes the station to the frontend.
func NewAppInfo(cfg Config, id Identity) AppInfo {
	return AppInfo{
		Version: Version, Role: cfg.Role, Station: id.Station, StationName: id.StationName, DeviceName: cfg.Name,
		DeviceID: id.DeviceID, DeviceCode: id.DeviceCode, Demo: cfg.Demo,
		HubURL: hubOf(cfg, id), IdleSeconds: cfg.IdleSeconds, Paired: id.Paired(),
		Locale: cfg.Locale, TimeZone: cfg.TimeZone,
	}
}

// Info describes the station.
func (y *System) Info() AppInfo { return NewAppInfo(y.settings.Get(), y.ids.Get()) }

// Status reports the hub link, the devices and the store.
func (y *System) Status() DeviceStatus { return y.status.Status(context.Background()) }

// ReportRendered is called by the frontend once its first screen shows real data. The station
// notes it in the log and in rendered.json, which the desktop smoke test waits for.
func (y *System) ReportRendered(view string) {
	y.log.Info("frontend rendered", "view", view)
	b, _ := json.Marshal(map[string]string{"view": view, "at": y.now().UTC().Format(time.RFC3339)})
	path := filepath.Join(y.dataDir, "rendered.json")
	if err := os.WriteFile(path+".tmp", b, 0o600); err == nil {
		_ = os.Rename(path+".tmp", path)
	}
}

// Heartbeat is called by the frontend every few seconds while its script runs; a window that
// stops calling it is reloaded (FrontendWatch).
func (y *System) Heartbeat() {
	if y.watch != nil {
		y.watch.Beat()
	}
}

// ReportError puts a frontend error into the station log.
func (y *System) ReportError(view, message string) {
	if len(message) > 2000 {
		message = message[:2000]
	}
	y.log.Error("frontend error", "view", view, "message", message)
}
