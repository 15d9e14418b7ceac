package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	qrcode "github.com/skip2/go-qrcode"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/protocol"
)

// When the hub warns about a device (GET /api/v1/admin/devices). A station sends a heartbeat
// every few seconds while it is connected, so a minute and a half of silence means it is off,
// cut off from the network or stuck.
const (
	SilentAfter      = 90 * time.Second
	ClockOffsetLimit = 60 * time.Second
	DiskFreeMin      = 500 << 20 // bytes
	// A station that keeps more facts than this in its outbox, or is this many hub log
	// positions behind, after a heartbeat is not getting through: it uploads and pulls right
	// after every heartbeat.
	SyncLagFacts  = 50
	SyncLagEvents = 500
	// MaxDeviceName bounds a device's given name, in characters.
	MaxDeviceName = 40
	// pairingQRPixels is the side of the pairing QR image: readable on a screen held up to
	// the kiosk's scanner.
	pairingQRPixels = 320
)

// Device warnings, worded by the console (frontend i18n, devices.warnings.*).
const (
	WarnNeverSeen   = "never_seen"     // enrolled, no heartbeat yet
	WarnSilent      = "silent"         // params: seconds
	WarnReader      = "reader_failing" // params: state
	WarnScanner     = "scanner_failing"
	WarnClockOffset = "clock_offset" // params: seconds (signed: + the device is ahead)
	WarnDiskLow     = "disk_low"     // params: free_mb
	WarnSyncLag     = "sync_lag"     // params: outbox, lag
	// The station's store refuses writes and serves reads only (its heartbeat's read_only).
	WarnReadOnlyDiskFull  = "read_only_disk_full"
	WarnReadOnlyDBCorrupt = "read_only_db_corrupt"
)

// DeviceWarnings lists every warning code, for the API types.
func DeviceWarnings() []string {
	return []string{WarnNeverSeen, WarnSilent, WarnReader, WarnScanner, WarnClockOffset, WarnDiskLow, WarnSyncLag,
		WarnReadOnlyDiskFull, WarnReadOnlyDBCorrupt}
}

// DeviceHealth is a device's latest heartbeat as the console shows it.
type DeviceHealth struct {
	Reader        string `json:"reader"`  // ok, connecting, disconnected, error, off (none fitted)
	Scanner       string `json:"scanner"` // as reader
	Outbox        int64  `json:"outbox"`  // facts not yet uploaded
	Lag           int64  `json:"lag"`     // hub log positions not yet downloaded
	ClockOffsetMS int64  `json:"clock_offset_ms"`
	DiskFree      uint64 `json:"disk_free"`  // bytes; 0 when the device cannot tell
	DiskTotal     uint64 `json:"disk_total"` // bytes
	// ReadOnly is why the station's store refuses writes (disk_full, db_corrupt); "" while
	// it takes them.
	ReadOnly   string    `json:"read_only"`
	ReportedAt time.Time `json:"reported_at"`
}

// DeviceWarning is one thing wrong with a device.
type DeviceWarning struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
}

// AdminDevice is an enrolled device with its health, for GET /api/v1/admin/devices.
type AdminDevice struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Station     string          `json:"station"`
	StationName string          `json:"station_name"`
	Role        string          `json:"role"` // kiosk | wall
	Code        string          `json:"code"` // K1, W1 …
	Version     string          `json:"version"`
	Revoked     bool            `json:"revoked"`
	Created     time.Time       `json:"created"`
	LastSeen    *time.Time      `json:"last_seen,omitempty"`
	Health      *DeviceHealth   `json:"health,omitempty"`
	Warnings    []DeviceWarning `json:"warnings"` // none for a revoked device
}

// PendingPairing is a pairing code still waiting for its device. The code itself is shown
// only once, when it is made.
type PendingPairing struct {
	ID          int64     `json:"id"`
	Station     string    `json:"station"`
	StationName string    `json:"station_name"`
	Role        string    `json:"role"`
	Name        string    `json:"name"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
}

// DeviceList is the body of GET /api/v1/admin/devices.
type DeviceList struct {
	Devices []AdminDevice    `json:"devices"`
	Pending []PendingPairing `json:"pending"`
	Now     time.Time        `json:"now"` // the hub's clock, for countdowns and "seen … ago"
}

// NewDevice is the body of POST /api/v1/admin/devices.
type NewDevice struct {
	Station string `json:"station"`
	Role    string `json:"role"` // kiosk | wall
	Name    string `json:"name"`
}

// NewPairing is a new pairing code: typed on the kiosk's technician screen, or read there
// from the QR (its content is QR, its image QRURL).
type NewPairing struct {
	Code    string    `json:"code"`
	Station string    `json:"station"`
	Role    string    `json:"role"`
	Name    string    `json:"name"`
	Expires time.Time `json:"expires"`
	HubURL  string    `json:"hub_url"`
	QR      string    `json:"qr"`     // liaison-pair:v1?hub=…&code=…
	QRURL   string    `json:"qr_url"` // the QR as a PNG, on this hub
}

// DeviceStore is what the device pages need from the hub store.
type DeviceStore interface {
	Station(ctx context.Context, code string) (domain.Station, error)
	Devices(ctx context.Context) ([]store.DeviceInfo, error)
	Heartbeat(ctx context.Context, device string) ([]byte, time.Time, error)
	CreatePairingCode(ctx context.Context, station, role, name string) (store.PairingCode, error)
	PendingPairings(ctx context.Context) ([]store.PendingPairing, error)
	PendingPairing(ctx context.Context, code string) (store.PendingPairing, error)
	CancelPairing(ctx context.Context, id int64) error
	RevokeDeviceBy(ctx context.Context, id string, actor domain.Actor) error
}

func (c *Console) mountDevices(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/admin/devices", c.authed(adminOnly, c.listDevices))
	mux.Handle("POST /api/v1/admin/devices", c.authed(adminOnly, c.addDevice))
	mux.Handle("POST /api/v1/admin/devices/{id}/revoke", c.authed(adminOnly, c.revokeDevice))
	mux.Handle("POST /api/v1/admin/devices/{id}/repair", c.authed(adminOnly, c.repairDevice))
	mux.Handle("POST /api/v1/admin/devices/pairing/{id}/cancel", c.authed(adminOnly, c.cancelPairing))
	mux.Handle("GET /api/v1/admin/devices/pairing/{code}/qr.png", c.authed(adminOnly, c.pairingQR))
}

// codeError answers a registered code worded in Chinese from the hub's catalogue.
func (c *Console) stationName(ctx context.Context, names map[string]string, code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	n := ""
	if st, err := c.st.Station(ctx, code); err == nil {
		n = st.Name
	}
	names[code] = n
	return n
}

func (c *Console) listDevices(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	devs, err := c.st.Devices(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	pending, err := c.st.PendingPairings(ctx)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	now := c.cfg.Now()
	names := map[string]string{}
	out := DeviceList{Devices: make([]AdminDevice, 0, len(devs)), Pending: make([]PendingPairing, 0, len(pending)), Now: now.UTC()}
	for _, d := range devs {
		ad := AdminDevice{ID: d.ID, Name: d.Name, Station: d.Station, StationName: c.stationName(ctx, names, d.Station),
			Role: d.Role, Code: d.Code, Revoked: d.Revoked, Created: d.Created, Warnings: []DeviceWarning{}}
		if !d.LastSeen.IsZero() {
			seen := d.LastSeen
			ad.LastSeen = &seen
		}
		raw, at, err := c.st.Heartbeat(ctx, d.ID)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			c.internal(w, r, err)
			return
		default:
			var rec store.HeartbeatRecord
			if err := json.Unmarshal(raw, &rec); err != nil {
				c.log.Warn("unreadable heartbeat", "device", d.ID, "err", err)
				break
			}
			ad.Version = rec.Version
			ad.Health = &DeviceHealth{Reader: rec.Reader, Scanner: rec.Scanner, Outbox: rec.Outbox, Lag: rec.Lag,
				ClockOffsetMS: rec.HubSkewMS, DiskFree: rec.DiskFree, DiskTotal: rec.DiskTotal, ReadOnly: rec.ReadOnly,
				ReportedAt: at}
		}
		if !d.Revoked {
			ad.Warnings = deviceWarnings(ad, now)
		}
		out.Devices = append(out.Devices, ad)
	}
	for _, pp := range pending {
		out.Pending = append(out.Pending, PendingPairing{ID: pp.ID, Station: pp.Station,
			StationName: c.stationName(ctx, names, pp.Station), Role: pp.Role, Name: pp.Name,
			Created: pp.Created, Expires: pp.Expires})
	}
	httpjson.Write(w, http.StatusOK, out)
}

// deviceWarnings is what is wrong with an enrolled device at now, from its latest heartbeat.
func deviceWarnings(d AdminDevice, now time.Time) []DeviceWarning {
	out := []DeviceWarning{}
	if d.LastSeen == nil {
		return append(out, DeviceWarning{Code: WarnNeverSeen})
	}
	if silent := now.Sub(*d.LastSeen); silent > SilentAfter {
		out = append(out, DeviceWarning{Code: WarnSilent, Params: map[string]string{"seconds": itoa(int64(silent / time.Second))}})
	}
	h := d.Health
	if h == nil {
		return out
	}
	if failing(h.Reader) {
		out = append(out, DeviceWarning{Code: WarnReader, Params: map[string]string{"state": h.Reader}})
	}
	if failing(h.Scanner) {
		out = append(out, DeviceWarning{Code: WarnScanner, Params: map[string]string{"state": h.Scanner}})
	}
	if off := time.Duration(h.ClockOffsetMS) * time.Millisecond; off > ClockOffsetLimit || off < -ClockOffsetLimit {
		out = append(out, DeviceWarning{Code: WarnClockOffset, Params: map[string]string{"seconds": itoa(int64(off / time.Second))}})
	}
	if h.DiskTotal > 0 && h.DiskFree < DiskFreeMin {
		out = append(out, DeviceWarning{Code: WarnDiskLow, Params: map[string]string{"free_mb": itoa(int64(h.DiskFree >> 20))}})
	}
	switch h.ReadOnly {
	case "":
	case "db_corrupt":
		out = append(out, DeviceWarning{Code: WarnReadOnlyDBCorrupt})
	default: // disk_full, and any reason a newer station may send
		out = append(out, DeviceWarning{Code: WarnReadOnlyDiskFull})
	}
	if h.Outbox > SyncLagFacts || h.Lag > SyncLagEvents {
		out = append(out, DeviceWarning{Code: WarnSyncLag, Params: map[string]string{"outbox": itoa(h.Outbox), "lag": itoa(h.Lag)}})
	}
	return out
}

// failing tells a peripheral state that needs a technician: lost or in error. A device
// without the part reports "off" and one starting up "connecting"; neither is a fault.
func failing(state string) bool { return state == "disconnected" || state == "error" }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// hubURL is how stations reach this hub: the configured public URL, else the address the
// admin's browser used.
func (c *Console) hubURL(r *http.Request) string {
	if c.cfg.PublicURL != "" {
		return strings.TrimRight(c.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (c *Console) newPairing(w http.ResponseWriter, r *http.Request, req NewDevice) (NewPairing, bool) {
	req.Name = strings.TrimSpace(req.Name)
	if utf8.RuneCountInString(req.Name) > MaxDeviceName {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": fmt.Sprintf("name: at most %d characters", MaxDeviceName)})
		return NewPairing{}, false
	}
	pc, err := c.st.CreatePairingCode(r.Context(), req.Station, req.Role, req.Name)
	switch {
	case errors.Is(err, store.ErrUnknownStation):
		codeError(w, http.StatusBadRequest, domain.CodeUnknownStation, nil)
		return NewPairing{}, false
	case errors.Is(err, store.ErrInvalidRole):
		codeError(w, http.StatusBadRequest, domain.CodeBadRole, nil)
		return NewPairing{}, false
	case err != nil:
		c.internal(w, r, err)
		return NewPairing{}, false
	}
	hub := c.hubURL(r)
	return NewPairing{Code: pc.Code, Station: pc.Station, Role: pc.Role, Name: pc.Name, Expires: pc.Expires.UTC(),
		HubURL: hub, QR: protocol.PairQR(hub, pc.Code),
		QRURL: "/api/v1/admin/devices/pairing/" + pc.Code + "/qr.png"}, true
}

func (c *Console) addDevice(w http.ResponseWriter, r *http.Request, p *principal) {
	var req NewDevice
	if err := decodeBody(r, &req); err != nil {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "json"})
		return
	}
	np, ok := c.newPairing(w, r, req)
	if !ok {
		return
	}
	c.log.Info("pairing code created", "station", np.Station, "role", np.Role, "by", p.User.Login)
	httpjson.Write(w, http.StatusCreated, np)
}

// device finds an enrolled device by id; false (and the answer written) when there is none.
func (c *Console) device(w http.ResponseWriter, r *http.Request, id string) (store.DeviceInfo, bool) {
	devs, err := c.st.Devices(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return store.DeviceInfo{}, false
	}
	for _, d := range devs {
		if d.ID == id {
			return d, true
		}
	}
	codeError(w, http.StatusNotFound, domain.CodeDeviceNotFound, nil)
	return store.DeviceInfo{}, false
}

// revokeNamedDevice revokes the device named in the path and ends its live session. When it
// cannot, it has answered the request and ok is false.
func (c *Console) revokeNamedDevice(w http.ResponseWriter, r *http.Request, p *principal) (store.DeviceInfo, bool) {
	d, ok := c.device(w, r, r.PathValue("id"))
	if !ok {
		return store.DeviceInfo{}, false
	}
	if err := c.st.RevokeDeviceBy(r.Context(), d.ID, p.Actor); err != nil {
		c.internal(w, r, err)
		return store.DeviceInfo{}, false
	}
	c.endSession(d.ID)
	return d, true
}

func (c *Console) revokeDevice(w http.ResponseWriter, r *http.Request, p *principal) {
	d, ok := c.revokeNamedDevice(w, r, p)
	if !ok {
		return
	}
	c.log.Warn("device revoked", "device", d.ID, "station", d.Station, "code", d.Code, "by", p.User.Login)
	w.WriteHeader(http.StatusNoContent)
}

// repairDevice revokes a device and makes a pairing code for a device of the same station,
// role and name: the way to replace a kiosk, or to pair one again after its disk was wiped.
func (c *Console) repairDevice(w http.ResponseWriter, r *http.Request, p *principal) {
	d, ok := c.revokeNamedDevice(w, r, p)
	if !ok {
		return
	}
	np, ok := c.newPairing(w, r, NewDevice{Station: d.Station, Role: d.Role, Name: d.Name})
	if !ok {
		return
	}
	c.log.Warn("device revoked to pair again", "device", d.ID, "station", d.Station, "code", d.Code, "by", p.User.Login)
	httpjson.Write(w, http.StatusCreated, np)
}

// endSession ends a revoked device's live sync session now, when the hub wired that in.
func (c *Console) endSession(id string) {
	if c.cfg.EndSession != nil {
		c.cfg.EndSession(id)
	}
}

func (c *Console) cancelPairing(w http.ResponseWriter, r *http.Request, p *principal) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = c.st.CancelPairing(r.Context(), id)
	}
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		codeError(w, http.StatusNotFound, domain.CodePairingUnknown, nil)
	case err != nil:
		c.internal(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// pairingQR draws the pairing QR of a waiting code; a code redeemed, cancelled or expired
// has none.
func (c *Console) pairingQR(w http.ResponseWriter, r *http.Request, p *principal) {
	code := r.PathValue("code")
	_, err := c.st.PendingPairing(r.Context(), code)
	switch {
	case errors.Is(err, store.ErrCodeUnknown):
		codeError(w, http.StatusNotFound, domain.CodePairingUnknown, nil)
		return
	case errors.Is(err, store.ErrCodeUsed):
		codeError(w, http.StatusGone, domain.CodePairingUsed, nil)
		return
	case errors.Is(err, store.ErrCodeExpired):
		codeError(w, http.StatusGone, domain.CodePairingExpired, nil)
		return
	case err != nil:
		c.internal(w, r, err)
		return
	}
	png, err := qrcode.Encode(protocol.PairQR(c.hubURL(r), strings.ToUpper(code)), qrcode.Medium, pairingQRPixels)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(png)
}
