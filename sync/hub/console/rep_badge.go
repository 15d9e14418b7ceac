package console

import (
	"net/http"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// A representative's phone shows their duty badge (代表证) as a QR the kiosk's scanner reads,
// for the day the printed card is not at hand: the badge the hub issued them that is neither
// revoked nor expired, the newest when there are several.

// RepBadge is the body of GET /api/v1/rep/badge; the image is GET /api/v1/rep/badge.png.
type RepBadge struct {
	Serial     string    `json:"serial"`
	RepName    string    `json:"rep_name"`
	ValidUntil time.Time `json:"valid_until"`
	LastDay    string    `json:"last_day"` // the last valid day, YYYY-MM-DD, station time
}

// repBadgePixels is the side of the badge QR: sharp on a phone screen held to a scanner.
const repBadgePixels = 512

// currentBadge is rep's valid badge; false (having answered 404 rep_badge_none) when there is
// none.
func (c *Console) currentBadge(w http.ResponseWriter, r *http.Request, rep domain.Representative) (store.BadgeRecord, bool) {
	list, err := c.st.Badges(r.Context())
	if err != nil {
		c.internal(w, r, err)
		return store.BadgeRecord{}, false
	}
	now := c.cfg.Now()
	var best store.BadgeRecord
	for _, b := range list {
		if b.RepID != rep.ID || b.RevokedAt != nil || b.Payload == "" || !now.Before(b.ValidUntil) {
			continue
		}
		if best.Serial == "" || b.IssuedAt.After(best.IssuedAt) {
			best = b
		}
	}
	if best.Serial == "" {
		codeError(w, http.StatusNotFound, domain.CodeRepBadgeNone, nil)
		return best, false
	}
	return best, true
}

func (c *Console) repBadge(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	b, ok := c.currentBadge(w, r, rep)
	if !ok {
		return
	}
	v := c.badgeView(b, c.cfg.Now())
	httpjson.Write(w, http.StatusOK, RepBadge{Serial: v.Serial, RepName: v.RepName, ValidUntil: v.ValidUntil, LastDay: v.LastDay})
}

func (c *Console) repBadgePNG(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.repOf(w, r, p)
	if !ok {
		return
	}
	b, ok := c.currentBadge(w, r, rep)
	if !ok {
		return
	}
	png, err := qrcode.Encode(b.Payload, qrcode.Medium, repBadgePixels)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	// the badge is a credential: never kept in a cache
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(png)
}
