package console

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// RepLoginStore is what the login by a kiosk's ticket needs from the store.
type RepLoginStore interface {
	Device(ctx context.Context, id string) (store.Device, error)
	RedeemRepTicket(ctx context.Context, t domain.RepTicket, ses store.Session) error
}

// RepTicketPath is where a kiosk's login QR points: PublicURL + RepTicketPath + "?t=" + ticket.
// The phone workspace's page there posts the ticket to POST /api/v1/rep/ticket.
const RepTicketPath = "/m/login"

// RepTicketRequest is the body of POST /api/v1/rep/ticket.
type RepTicketRequest struct {
	Ticket string `json:"ticket"`
}

// maxTicket bounds the ticket text: its fields are short, its signature fixed.
const maxTicket = 1024

// ticketRefusal is a ticket that cannot log in: the registered code and its HTTP status.
type ticketRefusal struct {
	status int
	code   string
}

func (e *ticketRefusal) Error() string { return e.code }

func refuseTicket(status int, code string) error { return &ticketRefusal{status: status, code: code} }

// checkRepTicket verifies a ticket as the hub takes it: signed by a known, unrevoked kiosk of
// the station it names, fresh (domain.RepTicketSkew either side of its validity), for an
// active representative who has an enabled representative account. It returns that account.
// Whether the ticket was used before is settled when it is redeemed.
func (c *Console) checkRepTicket(ctx context.Context, code string) (domain.RepTicket, store.User, error) {
	var dev store.Device
	var lookupErr error
	t, err := domain.VerifyRepTicket(code, func(id string) ed25519.PublicKey {
		d, err := c.st.Device(ctx, id)
		if err != nil {
			if !errors.Is(err, store.ErrUnknownDevice) {
				lookupErr = err
			}
			return nil
		}
		if d.Revoked {
			return nil
		}
		dev = d
		return d.PublicKey
	}, c.cfg.Now())
	switch {
	case lookupErr != nil:
		return t, store.User{}, lookupErr
	case errors.Is(err, domain.ErrTicketMalformed), errors.Is(err, domain.ErrTicketForged):
		return t, store.User{}, refuseTicket(http.StatusBadRequest, domain.CodeRepTicketInvalid)
	case errors.Is(err, domain.ErrTicketDevice):
		return t, store.User{}, refuseTicket(http.StatusForbidden, domain.CodeRepTicketDevice)
	case errors.Is(err, domain.ErrTicketStale):
		return t, store.User{}, refuseTicket(http.StatusGone, domain.CodeRepTicketExpired)
	case err != nil:
		return t, store.User{}, err
	}
	if dev.Role != store.RoleKiosk || dev.Station != t.Station {
		return t, store.User{}, refuseTicket(http.StatusForbidden, domain.CodeRepTicketDevice)
	}
	raw, err := c.st.RefItem(ctx, domain.KindRepresentativeUpserted, t.Rep)
	if errors.Is(err, store.ErrNotFound) {
		return t, store.User{}, refuseTicket(http.StatusForbidden, domain.CodeRepInactive)
	}
	if err != nil {
		return t, store.User{}, err
	}
	var rep domain.Representative
	if err := json.Unmarshal(raw, &rep); err != nil {
		return t, store.User{}, err
	}
	if rep.Retired {
		return t, store.User{}, refuseTicket(http.StatusForbidden, domain.CodeRepInactive)
	}
	users, err := c.st.Users(ctx)
	if err != nil {
		return t, store.User{}, err
	}
	slices.SortFunc(users, func(a, b store.User) int { return strings.Compare(a.Login, b.Login) })
	for _, u := range users {
		if u.Role == store.RoleRepresentative && u.RepID == t.Rep && !u.Disabled {
			return t, u, nil
		}
	}
	return t, store.User{}, refuseTicket(http.StatusForbidden, domain.CodeRepNoAccount)
}

// repTicketLogin opens a session for the representative a kiosk's login ticket names: the
// same session, cookie and CSRF token as a login with the password.
func (c *Console) repTicketLogin(w http.ResponseWriter, r *http.Request) {
	var req RepTicketRequest
	if err := decodeBody(r, &req); err != nil || req.Ticket == "" || len(req.Ticket) > maxTicket {
		codeError(w, http.StatusBadRequest, domain.CodeRepTicketInvalid, nil)
		return
	}
	ctx := r.Context()
	t, u, err := c.checkRepTicket(ctx, req.Ticket)
	var refused *ticketRefusal
	if errors.As(err, &refused) {
		c.log.Warn("login ticket refused", "code", refused.code, "device", t.Device, "rep", t.Rep, "addr", clientAddr(r))
		codeError(w, refused.status, refused.code, nil)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	id, ses, err := c.newSession(u.Login)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	err = c.st.RedeemRepTicket(ctx, t, ses)
	if errors.Is(err, store.ErrTicketUsed) {
		c.log.Warn("login ticket used again", "device", t.Device, "rep", t.Rep, "addr", clientAddr(r))
		codeError(w, http.StatusConflict, domain.CodeRepTicketUsed, nil)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	c.setCookie(w, id)
	c.log.Info("login by ticket", "login", u.Login, "device", t.Device, "addr", clientAddr(r))
	httpjson.Write(w, http.StatusOK, Me{User: c.userView(ctx, u), CSRF: ses.CSRF})
}
