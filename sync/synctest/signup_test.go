package synctest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/wsserver"
)

// signUpAt records a resident's sign-up or cancellation at a kiosk, as the kiosk's activity
// service does, and asks its client to upload.
func signUpAt(t *testing.T, st *station, activity, person string, kind domain.Kind) {
	t.Helper()
	data, _ := json.Marshal(domain.ActivityCheckIn{ActivityID: activity, PersonID: person, Via: domain.ViaKioskCard})
	_, err := st.store.(*store.Store).Record(context.Background(), domain.Event{Kind: kind, Stream: "activity:" + activity,
		Actor: domain.Actor{Role: domain.RoleResident, ID: person}, Data: data})
	if err != nil {
		t.Fatalf("record %s: %v", kind, err)
	}
	if st.client != nil {
		st.client.Kick()
	}
}

func placeAt(st *station, activity, person string) store.SignUp {
	u, err := st.store.(*store.Store).ActivitySignUp(context.Background(), activity, person)
	if err != nil {
		return store.SignUp{Place: "error: " + err.Error()}
	}
	return u
}

// TestSignUpsOverSync: an activity of two places. A resident signs up at each of two kiosks
// while their uplink is cut (each kiosk shows its sign-up as pending), a third person signs up
// on the phone page meanwhile and gets a place at once; when the kiosks reconnect the hub
// confirms the first kiosk's resident and waitlists the second; the phone's holder cancels
// and both kiosks learn that the waitlisted resident has been promoted.
func TestSignUpsOverSync(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hs := realHub(t, dir, "HX01")
	starts := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	act := domain.Activity{ID: "HX01-A77", Station: "HX01", Title: "加装电梯议事会", Kind: "议事会", Place: "联络站会议室",
		Starts: starts, Ends: starts.Add(2 * time.Hour), Capacity: 2}
	data, _ := json.Marshal(act)
	if _, err := hs.Import(ctx, "activity", []domain.Event{{Station: "HX01", Stream: "activity:" + act.ID,
		Kind: domain.KindActivityUpserted, At: time.Now().UTC(), Actor: staff, Data: data}}); err != nil {
		t.Fatal(err)
	}
	nw := faultnet.New(nil)
	h := startHub(t, hs, nw, wsserver.Config{})
	k1, k2 := realStation(t, hs, dir, "HX01"), realStation(t, hs, dir, "HX01")
	r1, r2 := fmt.Sprintf("R-%020x", 1), fmt.Sprintf("R-%020x", 2)

	// offline: both kiosks record a sign-up and show it as waiting for the hub
	signUpAt(t, k1, act.ID, r1, domain.KindActivitySignedUp)
	signUpAt(t, k2, act.ID, r2, domain.KindActivitySignedUp)
	for _, c := range []struct {
		st     *station
		person string
	}{{k1, r1}, {k2, r2}} {
		if u := placeAt(c.st, act.ID, c.person); u.Place != store.PlacePending || !u.TakesPart() {
			t.Fatalf("offline sign-up shows %+v", u)
		}
	}
	phone, err := hs.PhoneSignUp(ctx, act.ID, "13800138000", false)
	if err != nil || phone.Place.Status != domain.SignUpConfirmed {
		t.Fatalf("phone sign-up: %+v, %v", phone, err)
	}

	// back online, K1 first: its resident gets the last place, K2's waits
	k1.start(fastClient(k1.id, h.url, nw))
	defer k1.stop(t)
	eventually(t, 20*time.Second, "K1's answer", func() bool { return placeAt(k1, act.ID, r1).Place == domain.SignUpConfirmed })
	k2.start(fastClient(k2.id, h.url, nw))
	defer k2.stop(t)
	eventually(t, 20*time.Second, "K2's answer", func() bool {
		u := placeAt(k2, act.ID, r2)
		return u.Place == domain.SignUpWaitlisted && u.Position == 1
	})
	// each kiosk sees the other's resident too, and counts the activity alike
	eventually(t, 20*time.Second, "K1 hears of K2's resident", func() bool {
		c, err := k1.store.(*store.Store).ActivityCounts(ctx, act.ID)
		return err == nil && c.Confirmed == 2 && c.Waiting == 1
	})

	// the phone's holder cancels: K2's resident is promoted, at both kiosks
	if _, err := hs.PhoneSignUp(ctx, act.ID, "138 0013 8000", true); err != nil {
		t.Fatal(err)
	}
	for _, st := range []*station{k1, k2} {
		eventually(t, 20*time.Second, "the promotion at "+st.id, func() bool {
			u := placeAt(st, act.ID, r2)
			return u.Place == domain.SignUpConfirmed && u.Promoted
		})
	}
	r, err := hs.ActivityRoster(ctx, act.ID)
	if err != nil || len(r.Confirmed) != 2 || r.Confirmed[0] != r1 || r.Confirmed[1] != r2 || len(r.Waiting) != 0 {
		t.Fatalf("roster %+v, %v", r, err)
	}

	// K1's resident cancels: cancelling at once, cancelled when the hub has answered
	signUpAt(t, k1, act.ID, r1, domain.KindActivitySignUpCancelled)
	if u := placeAt(k1, act.ID, r1); u.Place != store.PlaceLeaving && u.Place != domain.SignUpCancelled {
		t.Fatalf("just cancelled: %+v", u)
	}
	eventually(t, 20*time.Second, "the cancellation's answer", func() bool {
		return placeAt(k1, act.ID, r1).Place == domain.SignUpCancelled
	})
	mine, err := k1.store.(*store.Store).SignUpsOf(ctx, r1)
	if err != nil || len(mine) != 1 || mine[0].TakesPart() {
		t.Fatalf("K1 resident's sign-ups: %+v, %v", mine, err)
	}
}
