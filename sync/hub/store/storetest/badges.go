package storetest

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// addRep records a representative of the station (one added by addStation).
func (e *env) addRep(id, name, station string) {
	e.t.Helper()
	rep := domain.Representative{ID: id, Name: name, Level: "区", Stations: []string{station},
		Communities: []string{"测试社区"}}
	if _, err := e.s.PutRefs(e.ctx, []store.RefWrite{refWrite(e.t, domain.KindRepresentativeUpserted, rep, true)},
		admin); err != nil {
		e.t.Fatalf("record representative %s: %v", id, err)
	}
}

// badges lists the hub's badges by serial.
func (e *env) badges() map[string]store.BadgeRecord {
	e.t.Helper()
	list, err := e.s.Badges(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]store.BadgeRecord{}
	for _, b := range list {
		if _, ok := out[b.Serial]; ok {
			e.t.Fatalf("serial %s listed twice", b.Serial)
		}
		out[b.Serial] = b
	}
	return out
}

// checkPayload asserts a badge's QR payload says what its record says.
func checkPayload(t *testing.T, b store.BadgeRecord) {
	t.Helper()
	got, _, _, err := domain.ParseBadge(b.Payload)
	if err != nil || got != (domain.Badge{Rep: b.RepID, Serial: b.Serial, ValidUntil: b.ValidUntil}) {
		t.Errorf("payload of %s reads %+v, %v; record %+v", b.Serial, got, err, b)
	}
}

// sameBadge reports whether two records of a badge in force say the same, times by instant.
func sameBadge(x, y store.BadgeRecord) bool {
	return x.Serial == y.Serial && x.RepID == y.RepID && x.RepName == y.RepName && x.Payload == y.Payload &&
		x.ValidUntil.Equal(y.ValidUntil) && x.IssuedAt.Equal(y.IssuedAt) && x.RevokedAt == nil && y.RevokedAt == nil
}

// testBadges: issuing signs a badge with a fresh serial and the validity asked for (a year by
// default); revoking records a ref.badge_revoked event every station receives, once, with the
// revoker as actor; the list keeps revoked badges without their payload, across a restart,
// and a serial is never given out twice.
func testBadges(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	e.addRep("HX01-R01", "张三", "HX01")
	e.addRep("HX01-R02", "李四", "HX01")
	if got := e.badges(); len(got) != 0 {
		t.Fatalf("badges of a new hub: %+v", got)
	}

	if _, err := e.s.IssueBadge(e.ctx, "HX01-R99", time.Time{}); !errors.Is(err, store.ErrUnknownRep) {
		t.Fatalf("badge for an unknown representative: %v, want ErrUnknownRep", err)
	}
	for _, end := range []time.Time{e.clk.Now(), e.clk.Now().Add(-time.Hour)} {
		if _, err := e.s.IssueBadge(e.ctx, "HX01-R01", end); !errors.Is(err, domain.ErrBadgeMalformed) {
			t.Fatalf("badge ending %v at %v: %v, want domain.ErrBadgeMalformed", end, e.clk.Now(), err)
		}
	}
	if got := e.badges(); len(got) != 0 {
		t.Fatalf("refused issues left badges: %+v", got)
	}

	a, err := e.s.IssueBadge(e.ctx, "HX01-R01", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Serial == "" || a.RepID != "HX01-R01" || a.RepName != "张三" || !a.IssuedAt.Equal(e.clk.Now()) ||
		!a.ValidUntil.Equal(e.clk.Now().Add(store.DefaultBadgeValidity)) || a.RevokedAt != nil {
		t.Fatalf("badge issued without an end: %+v", a)
	}
	checkPayload(t, a)
	e.clk.Advance(time.Minute)
	end := t0.Add(48 * time.Hour)
	b, err := e.s.IssueBadge(e.ctx, "HX01-R01", end)
	if err != nil || b.Serial == a.Serial || !b.ValidUntil.Equal(end) || !b.IssuedAt.Equal(e.clk.Now()) {
		t.Fatalf("second badge of the representative, until %v: %+v, %v (first %s)", end, b, err, a.Serial)
	}
	checkPayload(t, b)
	c, err := e.s.IssueBadge(e.ctx, "HX01-R02", time.Time{})
	if err != nil || c.Serial == a.Serial || c.Serial == b.Serial || c.RepName != "李四" {
		t.Fatalf("badge of another representative: %+v, %v", c, err)
	}
	checkPayload(t, c)
	list := e.badges()
	if len(list) != 3 || !sameBadge(list[a.Serial], a) || !sameBadge(list[b.Serial], b) || !sameBadge(list[c.Serial], c) {
		t.Fatalf("badges listed %+v, issued %+v %+v %+v", list, a, b, c)
	}

	// Revocation.
	revoker := domain.Actor{Role: domain.RoleStaff, ID: "wangzr", Name: "王主任"}
	before := e.lastSeq()
	if _, err := e.s.RevokeBadge(e.ctx, "B9999", "遗失", revoker); !errors.Is(err, store.ErrBadgeNotFound) {
		t.Fatalf("revoke an unknown serial: %v, want ErrBadgeNotFound", err)
	}
	e.clk.Advance(time.Hour)
	ev, err := e.s.RevokeBadge(e.ctx, a.Serial, "遗失", revoker)
	if err != nil {
		t.Fatal(err)
	}
	if e.lastSeq() != before+1 {
		t.Fatalf("revoking appended %d events, want 1", e.lastSeq()-before)
	}
	var p domain.BadgeRevocation
	if err := json.Unmarshal(ev.Data, &p); err != nil || p != (domain.BadgeRevocation{Serial: a.Serial, Rep: "HX01-R01", Reason: "遗失"}) {
		t.Errorf("revocation payload %s, %v", ev.Data, err)
	}
	if ev.Kind != domain.KindBadgeRevoked || ev.Stream != domain.BadgeRevokedStream(a.Serial) || ev.Station != "" ||
		ev.Device != domain.HubDevice || ev.Actor != revoker || !ev.At.Equal(e.clk.Now()) || ev.HubSeq != before+1 {
		t.Errorf("revocation returned as %+v", ev)
	}
	for _, st := range []string{"HX01", "HX02"} {
		evs, err := e.s.EventsAfter(e.ctx, st, before, 10)
		if err != nil || len(evs) != 1 || evs[0].ID != ev.ID {
			t.Errorf("%s receives after the revocation %+v, %v; want the revocation", st, evs, err)
		}
	}
	if _, err := e.s.RevokeBadge(e.ctx, a.Serial, "再次", revoker); !errors.Is(err, store.ErrBadgeIsRevoked) {
		t.Fatalf("revoke twice: %v, want ErrBadgeIsRevoked", err)
	}
	if e.lastSeq() != before+1 {
		t.Fatal("a refused revocation appended to the log")
	}

	check := func(when string) {
		t.Helper()
		list := e.badges()
		got := list[a.Serial]
		if len(list) != 3 || got.RevokedAt == nil || !got.RevokedAt.Equal(t0.Add(time.Minute+time.Hour)) ||
			got.Payload != "" || got.RepID != a.RepID || !got.ValidUntil.Equal(a.ValidUntil) || !got.IssuedAt.Equal(a.IssuedAt) {
			t.Fatalf("%s: revoked badge listed as %+v", when, got)
		}
		if !sameBadge(list[b.Serial], b) || !sameBadge(list[c.Serial], c) {
			t.Fatalf("%s: badges in force listed as %+v and %+v, issued %+v and %+v", when, list[b.Serial],
				list[c.Serial], b, c)
		}
	}
	check("after the revocation")
	e.reopen()
	check("after a restart")
	if _, err := e.s.RevokeBadge(e.ctx, a.Serial, "", revoker); !errors.Is(err, store.ErrBadgeIsRevoked) {
		t.Fatalf("revoke after a restart: %v, want ErrBadgeIsRevoked", err)
	}
	d, err := e.s.IssueBadge(e.ctx, "HX01-R01", time.Time{})
	if err != nil || d.Serial == a.Serial || d.Serial == b.Serial || d.Serial == c.Serial {
		t.Fatalf("badge issued after a revocation and a restart: %+v, %v", d, err)
	}
	if len(e.badges()) != 4 {
		t.Fatalf("badges after the fourth issue: %+v", e.badges())
	}
	e.checkLog("HX01", "HX02")
}
