package console_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
	"liaison/sync/hub/store/storetest"
)

// kioskTicket signs a login ticket for rep as a kiosk of the demo station, issued now.
func (f *fixture) kioskTicket(t *testing.T, key ed25519.PrivateKey, dev store.DeviceInfo, rep, station string) string {
	t.Helper()
	tk, err := domain.NewRepTicket(rep, dev.ID, station, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	code, err := domain.SignRepTicket(tk, key)
	if err != nil {
		t.Fatal(err)
	}
	return code
}

func TestRepTicketLogin(t *testing.T) {
	f := newFixture(t)
	dev, key := storetest.PairKeyed(t, f.st, seed.StationCode, store.RoleKiosk, "")
	code := f.kioskTicket(t, key, dev, "HX01-R01", seed.StationCode)

	phone := f.anonymous(t)
	f.clk.Advance(90 * time.Second) // the phone opens it a while after the kiosk showed it
	resp, body := phone.do(t, "POST", "/api/v1/rep/ticket", console.RepTicketRequest{Ticket: code})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ticket login: %d %s", resp.StatusCode, body)
	}
	var me console.Me
	if err := json.Unmarshal(body, &me); err != nil || me.CSRF == "" || me.User.Login != "daibiao" ||
		me.User.RepID != "HX01-R01" {
		t.Fatalf("ticket login answered %s", body)
	}
	phone.csrf = me.CSRF
	// The session is the console's: /me answers, and an unsafe request needs its CSRF token.
	if resp, body := phone.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("me after ticket login: %d %s", resp.StatusCode, body)
	}
	if resp, _ := phone.req(t, "POST", "/api/v1/logout", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without the CSRF token: %d, want 403", resp.StatusCode)
	}

	// The ticket logs in once, from any phone.
	other := f.anonymous(t)
	resp, body = other.do(t, "POST", "/api/v1/rep/ticket", console.RepTicketRequest{Ticket: code})
	if resp.StatusCode != http.StatusConflict || errorCode(t, body) != domain.CodeRepTicketUsed {
		t.Fatalf("replayed ticket: %d %s", resp.StatusCode, body)
	}
}

func TestRepTicketRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dev, key := storetest.PairKeyed(t, f.st, seed.StationCode, store.RoleKiosk, "")
	wall, wallKey := storetest.PairKeyed(t, f.st, seed.StationCode, store.RoleWall, "")
	gone, goneKey := storetest.PairKeyed(t, f.st, seed.StationCode, store.RoleKiosk, "")
	if err := f.st.RevokeDeviceBy(ctx, gone.ID, domain.Actor{Role: domain.RoleStaff, ID: "admin", Name: "管理员"}); err != nil {
		t.Fatal(err)
	}
	// HX01-R02 has no account; HX01-R03's is disabled; HX01-R04 has retired.
	for _, u := range []console.NewUser{
		{Login: "lisi", Name: "李四", Role: "representative", RepID: "HX01-R03", Password: password},
		{Login: "wangwu", Name: "王五", Role: "representative", RepID: "HX01-R04", Password: password},
	} {
		if _, err := f.con.Accounts().Add(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.st.DisableUser(ctx, "lisi"); err != nil {
		t.Fatal(err)
	}
	raw, err := f.st.RefItem(ctx, domain.KindRepresentativeUpserted, "HX01-R04")
	if err != nil {
		t.Fatal(err)
	}
	rk, _ := domain.LookupRefKind(string(domain.KindRepresentativeUpserted))
	retired, err := console.SetRetired(rk, raw, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.PutRefs(ctx, []store.RefWrite{{Kind: domain.KindRepresentativeUpserted, Key: "HX01-R04", Data: retired}}, staff); err != nil {
		t.Fatal(err)
	}
	stale := f.kioskTicket(t, key, dev, "HX01-R01", seed.StationCode)
	forged := f.kioskTicket(t, wallKey, dev, "HX01-R01", seed.StationCode) // dev's id, another key

	cases := []struct {
		name   string
		ticket string
		after  time.Duration
		status int
		code   string
	}{
		{"forged", forged, 0, http.StatusBadRequest, domain.CodeRepTicketInvalid},
		{"garbage", "not-a-ticket", 0, http.StatusBadRequest, domain.CodeRepTicketInvalid},
		{"revoked device", f.kioskTicket(t, goneKey, gone, "HX01-R01", seed.StationCode), 0, http.StatusForbidden, domain.CodeRepTicketDevice},
		{"wall, not a kiosk", f.kioskTicket(t, wallKey, wall, "HX01-R01", seed.StationCode), 0, http.StatusForbidden, domain.CodeRepTicketDevice},
		{"foreign station", f.kioskTicket(t, key, dev, "HX01-R01", "HX02"), 0, http.StatusForbidden, domain.CodeRepTicketDevice},
		{"unknown rep", f.kioskTicket(t, key, dev, "HX01-R99", seed.StationCode), 0, http.StatusForbidden, domain.CodeRepInactive},
		{"retired rep", f.kioskTicket(t, key, dev, "HX01-R04", seed.StationCode), 0, http.StatusForbidden, domain.CodeRepInactive},
		{"no account", f.kioskTicket(t, key, dev, "HX01-R02", seed.StationCode), 0, http.StatusForbidden, domain.CodeRepNoAccount},
		{"disabled account", f.kioskTicket(t, key, dev, "HX01-R03", seed.StationCode), 0, http.StatusForbidden, domain.CodeRepNoAccount},
		{"expired", stale, domain.RepTicketTTL + domain.RepTicketSkew + time.Second, http.StatusGone, domain.CodeRepTicketExpired},
	}
	for _, c := range cases {
		f.clk.Advance(c.after)
		resp, body := f.anonymous(t).do(t, "POST", "/api/v1/rep/ticket", console.RepTicketRequest{Ticket: c.ticket})
		if resp.StatusCode != c.status || errorCode(t, body) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, resp.StatusCode, body, c.status, c.code)
		}
		if ck := resp.Header.Get("Set-Cookie"); ck != "" {
			t.Errorf("%s: refused ticket set a cookie %q", c.name, ck)
		}
	}
	// A refused ticket was not used up: the representative, once given an account, logs in.
	if _, err := f.con.Accounts().Add(ctx, console.NewUser{Login: "zhaoliu", Name: "赵六", Role: "representative",
		RepID: "HX01-R02", Password: password}); err != nil {
		t.Fatal(err)
	}
	late := f.kioskTicket(t, key, dev, "HX01-R02", seed.StationCode)
	if resp, body := f.anonymous(t).do(t, "POST", "/api/v1/rep/ticket", console.RepTicketRequest{Ticket: late}); resp.StatusCode != http.StatusOK {
		t.Fatalf("ticket after the account was opened: %d %s", resp.StatusCode, body)
	}
}
