package app

import (
	"crypto/ed25519"
	"net/url"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
)

func TestLoginQRSignsATicketForTheHub(t *testing.T) {
	t.Parallel()
	b := newBadgeStation(t)
	now := time.Now()
	if _, err := b.Rep.LoginQR(); AsError(err).Code != domain.CodeRepSessionRequired {
		t.Fatalf("login QR with nobody at the workbench: %v", err)
	}
	if r := b.Rep.ScanText(b.badge(t, "B0001", now.AddDate(0, 1, 0), b.hubSign)); !r.OK {
		t.Fatalf("scan %+v", r)
	}
	if _, err := b.Rep.LoginQR(); AsError(err).Code != domain.CodeRepLoginUnpaired {
		t.Fatalf("login QR without a hub: %v", err)
	}
	b.Rep.Config.HubURL = "https://hub.test/"
	qr, err := b.Rep.LoginQR()
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(qr.URL)
	if err != nil || !strings.HasPrefix(qr.URL, "https://hub.test/m/login?t=") ||
		!strings.HasPrefix(qr.QRDataURL, "data:image/png;base64,") {
		t.Fatalf("login QR %q: %v", qr.URL, err)
	}
	me := b.id
	keys := func(id string) ed25519.PublicKey {
		if id == me.DeviceID {
			return me.Key.Public().(ed25519.PublicKey)
		}
		return nil
	}
	tk, err := domain.VerifyRepTicket(u.Query().Get("t"), keys, now)
	if err != nil || tk.Rep != "HX01-R01" || tk.Station != "HX01" || tk.Device != me.DeviceID {
		t.Fatalf("hub-side verification: %+v %v", tk, err)
	}
	exp, err1 := time.Parse(time.RFC3339, qr.Expires)
	refresh, err2 := time.Parse(time.RFC3339, qr.RefreshAt)
	if err1 != nil || err2 != nil || !exp.Equal(tk.Expires) || !refresh.Before(exp) || refresh.Before(tk.Issued) {
		t.Fatalf("expires %s refresh %s, ticket %+v", qr.Expires, qr.RefreshAt, tk)
	}
	next, err := b.Rep.LoginQR()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := url.Parse(next.URL)
	tk2, err := domain.VerifyRepTicket(again.Query().Get("t"), keys, now)
	if err != nil || tk2.Nonce == tk.Nonce {
		t.Fatalf("a new QR reuses the nonce: %+v %v", tk2, err)
	}
}
