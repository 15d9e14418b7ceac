package app

import (
	"context"
	"errors"
	"strings"

	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// PairResult tells the technician whom the device now belongs to.
type PairResult struct {
	Station     string `json:"station"`
	StationName string `json:"stationName"`
	DeviceCode  string `json:"deviceCode"`
	HubURL      string `json:"hubUrl"`
	Live        bool   `json:"live"` // syncing under the new enrolment already
}

// Pair enrols the device at the hub (hubURL, or the one in the settings when empty) with a
// one-time code typed on the screen, and syncs under the new enrolment at once. The name sent
// to the hub is the device's name from the settings; without one the hub keeps the name it
// gave with the code.
func (t *Technician) Pair(hubURL, code string) (*PairResult, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	return t.pair(hubURL, code)
}

// PairByScan waits for the hub's pairing QR on the station's scanner and pairs with it.
func (t *Technician) PairByScan() (*PairResult, error) {
	if err := t.locked(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.scanWait)
	defer cancel()
	text, err := t.waitScan(ctx, nil)
	if err != nil {
		if AsError(err).Code == domain.CodeTestBusy {
			return nil, err
		}
		return nil, appError(domain.CodePairQRMissing)
	}
	hub, code, err := protocol.ParsePairQR(text)
	if err != nil {
		t.d.Log.Info("scan is not a pairing QR", "err", err)
		return nil, appError(domain.CodePairQRInvalid)
	}
	return t.pair(hub, code)
}

func (t *Technician) pair(hubURL, code string) (*PairResult, error) {
	if t.d.Pair == nil {
		return nil, appError(domain.CodeStoreUnavailable)
	}
	cfg := t.d.Settings.Get()
	if hub := strings.TrimRight(strings.TrimSpace(hubURL), "/"); hub != "" {
		cfg.HubURL = hub
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if !protocol.ValidHubURL(cfg.HubURL) {
		return nil, appError(domain.CodeHubAddressRequired)
	}
	if code == "" {
		return nil, appError(domain.CodePairCodeRequired)
	}
	id, err := t.d.Pair(context.Background(), cfg, code)
	if err != nil {
		return nil, t.pairError(err)
	}
	if _, err := t.d.Settings.Update(func(c *Config) error { c.HubURL = cfg.HubURL; return nil }); err != nil {
		// The enrolment is in the store; only the hub's address did not reach config.json.
		t.d.Log.Error("save hub URL after pairing", "err", err)
	}
	id.HubURL = cfg.HubURL
	t.d.IDs.Set(id)
	res := &PairResult{Station: id.Station, StationName: id.StationName, DeviceCode: id.DeviceCode,
		HubURL: cfg.HubURL}
	if t.d.Control != nil {
		if err := t.d.Control.Repaired(id); err != nil {
			t.d.Log.Warn("start sync after pairing", "err", err)
		} else {
			res.Live = true
		}
	}
	t.d.Log.Info("paired on the technician screen", "station", id.Station, "device_code", id.DeviceCode)
	return res, nil
}

// pairError words a failed pairing for the screen; the details go to the log.
func (t *Technician) pairError(err error) *Error {
	t.d.Log.Warn("pairing failed", "err", err)
	var pe *client.PairError
	switch {
	case errors.Is(err, ErrHasHistory):
		return appError(domain.CodePairHasHistory)
	case errors.As(err, &pe) && pe.Code != "":
		// pairing_code_unknown / _expired / _used, pairing_attempts_exceeded: the hub's codes
		return appError(pe.Code)
	case errors.As(err, &pe):
		return appError(domain.CodePairRefused)
	default:
		return appError(domain.CodePairHubUnreachable)
	}
}
