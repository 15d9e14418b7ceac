package app

import (
	"net/url"
	"time"

	"liaison/sync/domain"
)

// repLoginPath is the phone workspace's ticket page at the hub (console.RepTicketPath).
const repLoginPath = "/m/login"

// RepLoginQR is the one-time QR that logs the representative at the workbench in on their
// phone.
type RepLoginQR struct {
	URL       string `json:"url"`
	QRDataURL string `json:"qrDataUrl"`
	Expires   string `json:"expires"`   // when the hub stops taking the ticket (RFC 3339)
	RefreshAt string `json:"refreshAt"` // when the screen should ask for a new one, before Expires
}

// repLoginRefresh is how long before its expiry the workbench replaces a login QR, so a
// representative never scans one that runs out while the phone opens it.
const repLoginRefresh = 30 * time.Second

// LoginQR signs a login ticket for the representative at the workbench with this device's
// key: the hub's phone workspace takes it once, within domain.RepTicketTTL. It needs no
// connection to the hub: the hub checks the ticket when the phone opens it. Asking for one
// does not keep the workbench open: a QR left on screen ends with the workbench's idle time.
func (r *Rep) LoginQR() (*RepLoginQR, error) {
	sess, err := r.session()
	if err != nil {
		return nil, err
	}
	me := r.id()
	if me.DeviceID == "" || me.Station == "" || (me.HubURL == "" && r.Config.HubURL == "") {
		return nil, appError(domain.CodeRepLoginUnpaired)
	}
	t, err := domain.NewRepTicket(sess.RepID, me.DeviceID, me.Station, r.Now())
	if err != nil {
		r.Log.Error("make login ticket", "err", err)
		return nil, appError(CodeInternal)
	}
	code, err := domain.SignRepTicket(t, me.Key)
	if err != nil {
		r.Log.Error("sign login ticket", "err", err)
		return nil, appError(CodeInternal)
	}
	u := r.hubBase() + repLoginPath + "?t=" + url.QueryEscape(code)
	qr, err := qrDataURL(u, 360)
	if err != nil {
		r.Log.Error("draw login QR", "err", err)
		return nil, appError(CodeInternal)
	}
	return &RepLoginQR{URL: u, QRDataURL: qr, Expires: t.Expires.Format(time.RFC3339),
		RefreshAt: t.Expires.Add(-repLoginRefresh).Format(time.RFC3339)}, nil
}
