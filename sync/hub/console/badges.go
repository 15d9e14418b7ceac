package console

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/badgesheet"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// Badge states, as the console lists them.
const (
	BadgeActive  = "active"
	BadgeExpired = "expired"
	BadgeRevoked = "revoked"
)

// BadgeStates lists every badge state, for the API types.
func BadgeStates() []string { return []string{BadgeActive, BadgeExpired, BadgeRevoked} }

// MaxRevokeReason bounds a revocation's reason, in bytes.
const MaxRevokeReason = 200

// AdminBadge is a representative's badge as the console lists it.
type AdminBadge struct {
	Serial     string     `json:"serial"`
	RepID      string     `json:"rep_id"`
	RepName    string     `json:"rep_name"`
	ValidUntil time.Time  `json:"valid_until"` // the end: valid before it
	LastDay    string     `json:"last_day"`    // the last valid day, YYYY-MM-DD, China time
	IssuedAt   time.Time  `json:"issued_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	State      string     `json:"state"` // active | expired | revoked
}

// BadgeList is the body of GET /api/v1/admin/badges, newest serial first.
type BadgeList struct {
	Badges []AdminBadge `json:"badges"`
}

// BadgeIssue is the body of POST /api/v1/admin/badges.
type BadgeIssue struct {
	RepID string `json:"rep_id"`
	// LastDay is the last valid day, YYYY-MM-DD (valid through that whole day, China time);
	// one year from now when empty.
	LastDay string `json:"last_day,omitempty"`
}

// BadgeRevoke is the body of POST /api/v1/admin/badges/{serial}/revoke and of …/reissue
// (where the reason is optional: 补发 when empty).
type BadgeRevoke struct {
	Reason string `json:"reason"`
}

// BadgeStore is what the badge pages need from the hub store.
type BadgeStore interface {
	Badges(ctx context.Context) ([]store.BadgeRecord, error)
	IssueBadge(ctx context.Context, repID string, validUntil time.Time) (store.BadgeRecord, error)
	RevokeBadge(ctx context.Context, serial, reason string, actor domain.Actor) (domain.Event, error)
	Representative(ctx context.Context, id string) (domain.Representative, error)
}

func (c *Console) mountBadges(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/admin/badges", c.authed(adminOnly, c.listBadges))
	mux.Handle("POST /api/v1/admin/badges", c.authed(adminOnly, c.issueBadge))
	mux.Handle("POST /api/v1/admin/badges/{serial}/revoke", c.authed(adminOnly, c.revokeBadge))
	mux.Handle("POST /api/v1/admin/badges/{serial}/reissue", c.authed(adminOnly, c.reissueBadge))
	mux.Handle("GET /api/v1/admin/badges/sheet.pdf", c.authed(adminOnly, c.badgeSheet))
}

func (c *Console) badgeView(b store.BadgeRecord, now time.Time) AdminBadge {
	v := AdminBadge{Serial: b.Serial, RepID: b.RepID, RepName: b.RepName, ValidUntil: b.ValidUntil,
		LastDay:  b.ValidUntil.In(c.location()).Add(-time.Nanosecond).Format(time.DateOnly),
		IssuedAt: b.IssuedAt, RevokedAt: b.RevokedAt, State: BadgeActive}
	switch {
	case b.RevokedAt != nil:
		v.State = BadgeRevoked
	case !now.Before(b.ValidUntil):
		v.State = BadgeExpired
	}
	return v
}

func (c *Console) listBadges(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := c.st.Badges(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	now := c.cfg.Now()
	out := BadgeList{Badges: make([]AdminBadge, 0, len(list))}
	for _, b := range list {
		out.Badges = append(out.Badges, c.badgeView(b, now))
	}
	httpjson.Write(w, http.StatusOK, out)
}

// issue signs a new badge for rep, valid through lastDay (one year when empty); false when
// it answered an error.
func (c *Console) issue(w http.ResponseWriter, r *http.Request, rep, lastDay string) (store.BadgeRecord, bool) {
	var end time.Time
	if lastDay != "" {
		day, err := time.ParseInLocation(time.DateOnly, lastDay, c.location())
		if err != nil {
			codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "last_day: YYYY-MM-DD"})
			return store.BadgeRecord{}, false
		}
		end = day.AddDate(0, 0, 1)
	}
	b, err := c.st.IssueBadge(r.Context(), rep, end)
	switch {
	case errors.Is(err, store.ErrUnknownRep):
		codeError(w, http.StatusNotFound, domain.CodeUnknownRep, nil)
	case errors.Is(err, store.ErrRepRetired):
		codeError(w, http.StatusConflict, domain.CodeBadgeRepRetired, nil)
	case errors.Is(err, domain.ErrBadgeMalformed):
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "last_day: past"})
	case err != nil:
		c.internal(w, r, err)
	default:
		return b, true
	}
	return store.BadgeRecord{}, false
}

func (c *Console) issueBadge(w http.ResponseWriter, r *http.Request, p *principal) {
	var req BadgeIssue
	if err := decodeBody(r, &req); err != nil || strings.TrimSpace(req.RepID) == "" {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "rep_id"})
		return
	}
	b, ok := c.issue(w, r, strings.TrimSpace(req.RepID), req.LastDay)
	if !ok {
		return
	}
	c.log.Info("badge issued", "serial", b.Serial, "rep", b.RepID, "by", p.User.Login)
	httpjson.Write(w, http.StatusCreated, c.badgeView(b, c.cfg.Now()))
}

// revokeReason reads the body of a revocation; false when it answered an error.
func revokeReason(w http.ResponseWriter, r *http.Request, required bool) (string, bool) {
	var req BadgeRevoke
	if r.ContentLength != 0 {
		if err := decodeBody(r, &req); err != nil {
			codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "json"})
			return "", false
		}
	}
	reason := strings.TrimSpace(req.Reason)
	if (required && reason == "") || len(reason) > MaxRevokeReason {
		codeError(w, http.StatusBadRequest, domain.CodeBadRequest, map[string]string{"detail": "reason"})
		return "", false
	}
	return reason, true
}

// revoke revokes a badge as the person; false when it answered an error.
func (c *Console) revoke(w http.ResponseWriter, r *http.Request, p *principal, serial, reason string) bool {
	_, err := c.st.RevokeBadge(r.Context(), serial, reason, p.Actor)
	switch {
	case errors.Is(err, store.ErrBadgeNotFound):
		codeError(w, http.StatusNotFound, domain.CodeBadgeNotFound, nil)
	case errors.Is(err, store.ErrBadgeIsRevoked):
		codeError(w, http.StatusConflict, domain.CodeBadgeRevoked, nil)
	case err != nil:
		c.internal(w, r, err)
	default:
		c.log.Info("badge revoked", "serial", serial, "reason", reason, "by", p.User.Login)
		return true
	}
	return false
}

func (c *Console) revokeBadge(w http.ResponseWriter, r *http.Request, p *principal) {
	reason, ok := revokeReason(w, r, true)
	if !ok || !c.revoke(w, r, p, r.PathValue("serial"), reason) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// reissueBadge replaces a badge, lost or worn: the old one is revoked and a new one issued
// to the same representative, valid a year from now.
func (c *Console) reissueBadge(w http.ResponseWriter, r *http.Request, p *principal) {
	reason, ok := revokeReason(w, r, false)
	if !ok {
		return
	}
	if reason == "" {
		reason = "补发"
	}
	serial := r.PathValue("serial")
	list, err := c.st.Badges(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	var old *store.BadgeRecord
	for i := range list {
		if list[i].Serial == serial {
			old = &list[i]
		}
	}
	if old == nil {
		codeError(w, http.StatusNotFound, domain.CodeBadgeNotFound, nil)
		return
	}
	// The representative must still be there, and active, before the old badge goes.
	if rep, err := c.st.Representative(r.Context(), old.RepID); errors.Is(err, store.ErrUnknownRep) {
		codeError(w, http.StatusNotFound, domain.CodeUnknownRep, nil)
		return
	} else if err != nil {
		c.internal(w, r, err)
		return
	} else if rep.Retired {
		codeError(w, http.StatusConflict, domain.CodeBadgeRepRetired, nil)
		return
	}
	// A badge already revoked (lost, then found missing again) is reissued all the same.
	if old.RevokedAt == nil && !c.revoke(w, r, p, serial, reason) {
		return
	}
	b, ok := c.issue(w, r, old.RepID, "")
	if !ok {
		return
	}
	c.log.Info("badge reissued", "old", serial, "serial", b.Serial, "rep", b.RepID, "by", p.User.Login)
	httpjson.Write(w, http.StatusCreated, c.badgeView(b, c.cfg.Now()))
}

// badgeSheet answers the A4 PDF of the badges named by ids (serials separated by commas), or
// of every badge in force when ids is empty. Revoked and expired badges are not printed.
func (c *Console) badgeSheet(w http.ResponseWriter, r *http.Request, p *principal) {
	list, err := c.st.Badges(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return
	}
	want := map[string]bool{}
	for s := range strings.SplitSeq(r.URL.Query().Get("ids"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			want[s] = true
		}
	}
	now := c.cfg.Now()
	var pick []store.BadgeRecord
	for _, b := range list {
		if (len(want) == 0 || want[b.Serial]) && c.badgeView(b, now).State == BadgeActive {
			pick = append(pick, b)
		}
	}
	cards, err := badgesheet.Cards(r.Context(), c.st, c.cfg.MediaDir, pick)
	if errors.Is(err, badgesheet.ErrNothingToPrint) {
		codeError(w, http.StatusNotFound, domain.CodeBadgeNotFound, nil)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	pdf, err := badgesheet.Render(cards)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="badges.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(pdf)
}
