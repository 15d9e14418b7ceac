package storetest

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// addActivity records an activity of a station added by addStation, as staff do.
func (e *env) addActivity(id, station string, starts, ends time.Time) {
	e.t.Helper()
	a := domain.Activity{ID: id, Station: station, Title: "居民议事会" + id, Kind: "议事会", Place: "联络站会议室",
		Starts: starts, Ends: ends, Capacity: 20}
	if _, err := e.s.PutRefs(e.ctx, []store.RefWrite{refWrite(e.t, domain.KindActivityUpserted, a, true)},
		admin); err != nil {
		e.t.Fatalf("record activity %s: %v", id, err)
	}
}

// checkInCode is the rotating code a device shows for an activity in the window of at, signed
// with key.
func checkInCode(t testing.TB, activity, device string, key ed25519.PrivateKey, at time.Time) string {
	t.Helper()
	c, err := domain.SignCheckIn(domain.CheckInCode{Activity: activity, Device: device, Window: domain.WindowOf(at)}, key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testCheckInCodes: a rotating code verifies when an enrolled, unrevoked device signed it for
// the window of now or one either side, and verifying records nothing.
func testCheckInCodes(t *testing.T, e *env) {
	e.addStation("HX01")
	k1, key1 := PairKeyed(t, e.s, "HX01", store.RoleKiosk, "测试设备")
	k2, key2 := PairKeyed(t, e.s, "HX01", store.RoleKiosk, "测试设备")
	now := e.clk.Now()
	before := e.lastSeq()
	for _, at := range []time.Time{now, now.Add(-domain.CheckInWindow), now.Add(domain.CheckInWindow)} {
		c, err := e.s.VerifyCheckInCode(e.ctx, checkInCode(t, "a1", k1.ID, key1, at))
		if err != nil || c != (domain.CheckInCode{Activity: "a1", Device: k1.ID, Window: domain.WindowOf(at)}) {
			t.Errorf("code of the window of %v at %v: %+v, %v", at, now, c, err)
		}
	}
	for _, tc := range []struct {
		name string
		code string
		want error
	}{
		{"two windows old", checkInCode(t, "a1", k1.ID, key1, now.Add(-2*domain.CheckInWindow)), domain.ErrCheckInStale},
		{"two windows ahead", checkInCode(t, "a1", k1.ID, key1, now.Add(2*domain.CheckInWindow)), domain.ErrCheckInStale},
		{"signed by another device", checkInCode(t, "a1", k1.ID, key2, now), domain.ErrCheckInForged},
		{"device never enrolled", checkInCode(t, "a1", "nobody", key1, now), domain.ErrCheckInDevice},
		{"not a code", "LB1.AAAA", domain.ErrCheckInMalformed},
		{"empty", "", domain.ErrCheckInMalformed},
	} {
		if c, err := e.s.VerifyCheckInCode(e.ctx, tc.code); !errors.Is(err, tc.want) {
			t.Errorf("%s: %+v, %v; want %v", tc.name, c, err, tc.want)
		}
	}
	code2 := checkInCode(t, "a1", k2.ID, key2, now)
	if _, err := e.s.VerifyCheckInCode(e.ctx, code2); err != nil {
		t.Fatalf("code of the second kiosk: %v", err)
	}
	if e.lastSeq() != before {
		t.Fatalf("verifying codes appended %d events", e.lastSeq()-before)
	}
	if err := e.s.RevokeDeviceBy(e.ctx, k2.ID, staff); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.VerifyCheckInCode(e.ctx, code2); !errors.Is(err, domain.ErrCheckInDevice) {
		t.Fatalf("code of a revoked kiosk: %v, want domain.ErrCheckInDevice", err)
	}
	e.reopen()
	if _, err := e.s.VerifyCheckInCode(e.ctx, code2); !errors.Is(err, domain.ErrCheckInDevice) {
		t.Fatalf("code of a revoked kiosk after a restart: %v, want domain.ErrCheckInDevice", err)
	}
	if _, err := e.s.VerifyCheckInCode(e.ctx, checkInCode(t, "a1", k1.ID, key1, now)); err != nil {
		t.Fatalf("code of the kiosk in service after a restart: %v", err)
	}
}

// testPhoneCheckIn: a phone checks in at an open activity of the code's station once, as a
// hub event in the activity's scope that names a keyed hash of the number, never the number;
// every refusal records nothing; the count includes the kiosk's check-ins.
func testPhoneCheckIn(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	now := e.clk.Now()
	e.addActivity("a1", "HX01", now.Add(20*time.Minute), now.Add(2*time.Hour))
	e.addActivity("a2", "HX01", now.Add(7*24*time.Hour), now.Add(7*24*time.Hour+time.Hour))
	e.addActivity("a3", "HX01", now.Add(-3*time.Hour), now.Add(-time.Minute))
	e.addActivity("a4", "HX01", now.Add(store.CheckInOpenBefore), now.Add(3*time.Hour))
	e.addActivity("a5", "HX01", now.Add(store.CheckInOpenBefore+time.Minute), now.Add(3*time.Hour))
	k1, key1 := PairKeyed(t, e.s, "HX01", store.RoleKiosk, "测试设备")
	k2, key2 := PairKeyed(t, e.s, "HX02", store.RoleKiosk, "测试设备")
	kr, keyr := PairKeyed(t, e.s, "HX01", store.RoleKiosk, "测试设备")
	if err := e.s.RevokeDeviceBy(e.ctx, kr.ID, staff); err != nil {
		t.Fatal(err)
	}
	// a resident checked in at the kiosk with their ID card
	kiosk := &Facts{Dev: k1, At: now.Add(-2 * time.Minute)}
	e.apply(kiosk, kiosk.Fact(t, "activity:a1", domain.KindActivityCheckedIn,
		domain.Actor{Role: domain.RoleResident, ID: resident(1)},
		domain.ActivityCheckIn{ActivityID: "a1", PersonID: resident(1), Via: domain.ViaKioskCard, Nonce: "01"}))

	code := checkInCode(t, "a1", k1.ID, key1, now)
	phone := "13800138000"
	before := e.lastSeq()
	for _, tc := range []struct {
		name, code, phone string
		want              error
	}{
		{"two windows old", checkInCode(t, "a1", k1.ID, key1, now.Add(-2*domain.CheckInWindow)), phone, domain.ErrCheckInStale},
		{"forged", checkInCode(t, "a1", k1.ID, key2, now), phone, domain.ErrCheckInForged},
		{"malformed", "x", phone, domain.ErrCheckInMalformed},
		{"revoked kiosk", checkInCode(t, "a1", kr.ID, keyr, now), phone, domain.ErrCheckInDevice},
		{"kiosk of another station", checkInCode(t, "a1", k2.ID, key2, now), phone, domain.ErrCheckInDevice},
		{"unknown activity", checkInCode(t, "zz", k1.ID, key1, now), phone, store.ErrActivityNotFound},
		{"activity next week", checkInCode(t, "a2", k1.ID, key1, now), phone, store.ErrActivityNotOpen},
		{"activity ended", checkInCode(t, "a3", k1.ID, key1, now), phone, store.ErrActivityNotOpen},
		{"activity opening in a minute", checkInCode(t, "a5", k1.ID, key1, now), phone, store.ErrActivityNotOpen},
		{"not a mobile number", code, "12345", store.ErrBadPhone},
		{"no number", code, "", store.ErrBadPhone},
	} {
		if res, err := e.s.PhoneCheckIn(e.ctx, tc.code, tc.phone); !errors.Is(err, tc.want) {
			t.Errorf("%s: %+v, %v; want %v", tc.name, res, err, tc.want)
		}
	}
	if e.lastSeq() != before {
		t.Fatalf("refused check-ins appended %d events", e.lastSeq()-before)
	}

	res, err := e.s.PhoneCheckIn(e.ctx, code, "138 0013 8000")
	if err != nil || res.Activity.ID != "a1" || res.Activity.Title != "居民议事会a1" || res.Attended != 2 {
		t.Fatalf("first phone check-in: %+v, %v; want a1 with 2 attending (one at the kiosk)", res, err)
	}
	if e.lastSeq() != before+1 {
		t.Fatalf("a check-in appended %d events, want 1", e.lastSeq()-before)
	}
	evs, err := e.s.EventsAfter(e.ctx, "HX01", before, 10)
	if err != nil || len(evs) != 1 {
		t.Fatalf("HX01 after the check-in: %+v, %v", evs, err)
	}
	ev := evs[0]
	var p domain.ActivityCheckIn
	if err := json.Unmarshal(ev.Data, &p); err != nil {
		t.Fatal(err)
	}
	person := p.PersonID
	if ev.Kind != domain.KindActivityCheckedIn || ev.Stream != "activity:a1" || ev.Station != "HX01" ||
		ev.Device != domain.HubDevice || ev.Actor.Role != domain.RoleResident || ev.Actor.ID != person ||
		!ev.At.Equal(now) {
		t.Errorf("check-in stored as %+v", ev)
	}
	if person == "" || p.ActivityID != "a1" || p.Via != "phone" || p.Nonce != fmt.Sprintf("%s/%d", k1.ID, domain.WindowOf(now)) {
		t.Errorf("check-in payload %+v", p)
	}
	if strings.Contains(string(mustJSON(t, ev)), "13800138000") {
		t.Errorf("the phone number is in the log: %+v", ev)
	}
	if evs, err := e.s.EventsAfter(e.ctx, "HX02", before, 10); err != nil || len(evs) != 0 {
		t.Errorf("HX02 receives HX01's check-in: %+v, %v", evs, err)
	}

	// once per phone and activity, whatever the code and the number's spelling
	for _, again := range []struct{ code, phone string }{
		{code, phone},
		{checkInCode(t, "a1", k1.ID, key1, now.Add(domain.CheckInWindow)), "+86 138-0013-8000"},
	} {
		if res, err := e.s.PhoneCheckIn(e.ctx, again.code, again.phone); !errors.Is(err, store.ErrAlreadyCheckedIn) {
			t.Errorf("check-in again as %q: %+v, %v; want ErrAlreadyCheckedIn", again.phone, res, err)
		}
	}
	if e.lastSeq() != before+1 {
		t.Fatal("a repeated check-in appended to the log")
	}
	res, err = e.s.PhoneCheckIn(e.ctx, checkInCode(t, "a1", k1.ID, key1, now.Add(-domain.CheckInWindow)), "13900139000")
	if err != nil || res.Attended != 3 {
		t.Fatalf("second phone, with the last window's code: %+v, %v", res, err)
	}
	if res, err := e.s.PhoneCheckIn(e.ctx, checkInCode(t, "a4", k1.ID, key1, now), phone); err != nil || res.Attended != 1 {
		t.Fatalf("check-in as it opens, at another activity: %+v, %v", res, err)
	}

	e.reopen()
	if _, err := e.s.PhoneCheckIn(e.ctx, code, phone); !errors.Is(err, store.ErrAlreadyCheckedIn) {
		t.Errorf("check-in again after a restart: %v, want ErrAlreadyCheckedIn", err)
	}
	if res, err := e.s.PhoneCheckIn(e.ctx, code, "13700137000"); err != nil || res.Attended != 4 {
		t.Fatalf("third phone after a restart: %+v, %v", res, err)
	}
	// the phone is the same person when it signs up
	if su, err := e.s.PhoneSignUp(e.ctx, "a2", phone, false); err != nil || su.Place.PersonID != person {
		t.Errorf("sign-up of the phone that checked in: %+v, %v; want person %s", su, err, person)
	}
	e.checkLog("HX01", "HX02")
}
