package server

import (
	"encoding/base64"
	"errors"
	"net/http"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// DeviceJSON is a device as the staff API shows it.
type DeviceJSON struct {
	ID        string    `json:"id"`
	Code      string    `json:"code"`
	Station   string    `json:"station"`
	Role      string    `json:"role"`
	Name      string    `json:"name"`
	PublicKey string    `json:"public_key"` // base64
	Revoked   bool      `json:"revoked"`
	Created   time.Time `json:"created"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
}

func deviceJSON(d store.DeviceInfo) DeviceJSON {
	return DeviceJSON{ID: d.ID, Code: d.Code, Station: d.Station, Role: d.Role, Name: d.Name,
		PublicKey: base64.StdEncoding.EncodeToString(d.PublicKey), Revoked: d.Revoked,
		Created: d.Created, LastSeen: d.LastSeen}
}

// PairingCodeRequest is the body of POST /api/v1/pairing-codes.
type PairingCodeRequest struct {
	Station string `json:"station"`
	Role    string `json:"role"` // kiosk | wall
	Name    string `json:"name"`
}

// PairingCodeJSON is a new pairing code; it is shown once and stored only hashed.
type PairingCodeJSON struct {
	Code    string    `json:"code"`
	Station string    `json:"station"`
	Role    string    `json:"role"`
	Name    string    `json:"name"`
	Expires time.Time `json:"expires"`
}

func (s *Server) createPairingCode(w http.ResponseWriter, r *http.Request) {
	var req PairingCodeRequest
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "json"))
		return
	}
	pc, err := s.store.CreatePairingCode(r.Context(), req.Station, req.Role, req.Name)
	switch {
	case errors.Is(err, store.ErrUnknownStation):
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeUnknownStation))
		return
	case errors.Is(err, store.ErrInvalidRole):
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRole))
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	s.log.Info("pairing code created", "station", pc.Station, "role", pc.Role, "expires", pc.Expires)
	httpjson.Write(w, http.StatusCreated, PairingCodeJSON{Code: pc.Code, Station: pc.Station, Role: pc.Role,
		Name: pc.Name, Expires: pc.Expires})
}

// DeviceList is the body of GET /api/v1/devices.
type DeviceList struct {
	Devices []DeviceJSON `json:"devices"`
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request) {
	devs, err := s.store.Devices(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := DeviceList{Devices: make([]DeviceJSON, 0, len(devs))}
	for _, d := range devs {
		out.Devices = append(out.Devices, deviceJSON(d))
	}
	httpjson.Write(w, http.StatusOK, out)
}

func (s *Server) revokeDevice(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	actor, ok := staffActor(w, r)
	if !ok {
		return
	}
	err := s.store.RevokeDeviceBy(r.Context(), id, actor)
	if errors.Is(err, store.ErrUnknownDevice) {
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeDeviceNotFound))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.log.Warn("device revoked", "device", id, "by", actor.ID)
	// End its live session now rather than at its next upload.
	if rv, ok := s.sync.(interface{ Revoke(string) bool }); ok {
		rv.Revoke(id)
	}
	w.WriteHeader(http.StatusNoContent)
}
