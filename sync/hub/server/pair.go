package server

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/protocol"
)

// Error codes of the pairing endpoint (registered in sync/domain).
const (
	CodePairingUnknown = domain.CodePairingUnknown
	CodePairingExpired = domain.CodePairingExpired
	CodePairingUsed    = domain.CodePairingUsed
	CodePairingLimited = domain.CodePairingLimited
)

func decodeKey(s string) (ed25519.PublicKey, bool) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == ed25519.PublicKeySize {
			return ed25519.PublicKey(b), true
		}
	}
	return nil, false
}

func (s *Server) pair(w http.ResponseWriter, r *http.Request) {
	client := clientOf(r.RemoteAddr)
	if s.pairing.Blocked(client) {
		s.metrics.pairingLockedOut()
		s.limitedLog.Log(slog.LevelWarn, "pairing refused", "reason", "too many failed attempts", "remote", client)
		writeError(w, http.StatusTooManyRequests, domain.NewError(CodePairingLimited))
		return
	}
	var req protocol.PairRequest
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "json"))
		return
	}
	pub, ok := decodeKey(req.PublicKey)
	if !ok {
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadPublicKey))
		return
	}
	d, err := s.store.Pair(r.Context(), req.Code, pub, strings.TrimSpace(req.Name))
	switch {
	case errors.Is(err, store.ErrCodeUnknown):
		s.pairing.Fail(client)
		s.limitedLog.Log(slog.LevelWarn, "pairing refused", "reason", "unknown code", "remote", client)
		writeError(w, http.StatusForbidden, domain.NewError(CodePairingUnknown))
		return
	case errors.Is(err, store.ErrCodeExpired):
		writeError(w, http.StatusForbidden, domain.NewError(CodePairingExpired))
		return
	case errors.Is(err, store.ErrCodeUsed):
		writeError(w, http.StatusForbidden, domain.NewError(CodePairingUsed))
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	resp := protocol.PairResponse{DeviceID: d.ID, DeviceCode: d.Code, Station: d.Station, Role: d.Role,
		HubURL: s.cfg.PublicURL, HubSignKey: base64.StdEncoding.EncodeToString(s.cfg.SignKey),
		HubBoxKey:   base64.StdEncoding.EncodeToString(s.cfg.BoxKey[:]),
		ResidentKey: base64.StdEncoding.EncodeToString(s.cfg.ResidentKey)}
	if st, err := s.store.Station(r.Context(), d.Station); err == nil {
		resp.StationName = st.Name
	} else {
		s.log.Warn("paired device's station has no name", "station", d.Station, "err", err)
	}
	s.log.Info("device paired", "device", d.ID, "code", d.Code, "station", d.Station, "role", d.Role)
	httpjson.Write(w, http.StatusOK, resp)
}
