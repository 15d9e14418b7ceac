package server

import (
	"errors"
	"net/http"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// BadgeList is the body of GET /api/v1/badges.
type BadgeList struct {
	Badges []store.BadgeRecord `json:"badges"`
}

func (s *Server) listBadges(w http.ResponseWriter, r *http.Request, qs QRStore) {
	list, err := qs.Badges(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if list == nil {
		list = []store.BadgeRecord{}
	}
	httpjson.Write(w, http.StatusOK, BadgeList{Badges: list})
}

// IssueRequest is the body of POST /api/v1/badges.
type IssueRequest struct {
	RepID      string `json:"rep_id"`
	ValidUntil string `json:"valid_until,omitempty"` // RFC 3339; one year when empty
}

func (s *Server) issueBadge(w http.ResponseWriter, r *http.Request, qs QRStore) {
	var req IssueRequest
	if err := decodeBody(r, &req); err != nil || req.RepID == "" {
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "rep_id"))
		return
	}
	var until time.Time
	if req.ValidUntil != "" {
		var err error
		if until, err = time.Parse(time.RFC3339, req.ValidUntil); err != nil {
			writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "valid_until: RFC 3339"))
			return
		}
	}
	b, err := qs.IssueBadge(r.Context(), req.RepID, until)
	switch {
	case errors.Is(err, store.ErrUnknownRep):
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeUnknownRep))
	case errors.Is(err, store.ErrRepRetired):
		writeError(w, http.StatusConflict, domain.NewError(domain.CodeBadgeRepRetired))
	case errors.Is(err, domain.ErrBadgeMalformed):
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "valid_until: past"))
	case err != nil:
		s.internal(w, r, err)
	default:
		httpjson.Write(w, http.StatusCreated, b)
	}
}

// RevokeRequest is the body of POST /api/v1/badges/{serial}/revoke.
type RevokeRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) revokeBadge(w http.ResponseWriter, r *http.Request, qs QRStore) {
	var req RevokeRequest
	if r.ContentLength != 0 {
		if err := decodeBody(r, &req); err != nil {
			writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "json"))
			return
		}
	}
	actor, ok := staffActor(w, r)
	if !ok {
		return
	}
	_, err := qs.RevokeBadge(r.Context(), r.PathValue("serial"), req.Reason, actor)
	switch {
	case errors.Is(err, store.ErrBadgeNotFound):
		writeError(w, http.StatusNotFound, domain.NewError(domain.CodeBadgeNotFound))
	case errors.Is(err, store.ErrBadgeIsRevoked):
		writeError(w, http.StatusConflict, domain.NewError(domain.CodeBadgeRevoked))
	case err != nil:
		s.internal(w, r, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// DutyList is the body of GET /api/v1/duty?station=&day=.
type DutyList struct {
	Signs []store.DutySign `json:"signs"`
}

func (s *Server) listDuty(w http.ResponseWriter, r *http.Request, qs QRStore) {
	q := r.URL.Query()
	day := q.Get("day")
	if day == "" {
		day = s.cfg.Now().In(cst).Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil || q.Get("station") == "" {
		writeError(w, http.StatusBadRequest, domain.NewError(domain.CodeBadRequest, "detail", "station, day: YYYY-MM-DD"))
		return
	}
	signs, err := qs.DutySigns(r.Context(), q.Get("station"), day)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if signs == nil {
		signs = []store.DutySign{}
	}
	httpjson.Write(w, http.StatusOK, DutyList{Signs: signs})
}
