package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"time"
)

// System tells the frontend what this station is and how it is doing.
type System struct{ s *Station }

// Info describes the station.
func (y *System) Info() AppInfo { return y.s.info() }

func (s *Station) info() AppInfo {
	return AppInfo{
		Version: Version, Role: s.cfg.Role, Station: s.id.station, StationName: s.id.stationName,
		DeviceID: s.id.deviceID, DeviceCode: s.id.deviceCode, Demo: s.cfg.Demo,
		HubURL: s.cfg.HubURL, IdleSeconds: s.cfg.IdleSeconds, Paired: s.id.paired(),
		Locale: s.cfg.Locale, TimeZone: s.cfg.TimeZone,
	}
}

// Status reports the hub link, the devices and the store.
func (y *System) Status() DeviceStatus { return y.s.status(context.Background()) }

// ReportRendered is called by the frontend once its first screen shows real data. The station
// notes it in the log and in rendered.json, which the desktop smoke test waits for.
func (y *System) ReportRendered(view string) {
	s := y.s
	s.log.Info("frontend rendered", "view", view)
	b, _ := json.Marshal(map[string]string{"view": view, "at": s.now().UTC().Format(time.RFC3339)})
	path := filepath.Join(s.cfg.DataDir, "rendered.json")
	if err := os.WriteFile(path+".tmp", b, 0o600); err == nil {
		_ = os.Rename(path+".tmp", path)
	}
}

// ReportError puts a frontend error into the station log.
func (y *System) ReportError(view, message string) {
	if len(message) > 2000 {
		message = message[:2000]
	}
	y.s.log.Error("frontend error", "view", view, "message", message)
}
