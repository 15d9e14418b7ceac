package sqlitestore

import (
	"context"
	"errors"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

func TestRepSignUpTakesAPlaceAsEverySignUpDoes(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	importRefs(t, s) // activity a3: two places, sign-up open
	f := &factMaker{Dev: pairDevice(t, s, "HX01", "kiosk"), At: t0}
	kiosk := func(person string) domain.Event {
		return f.Fact(t, "activity:a3", domain.KindActivitySignedUp, domain.Actor{Role: domain.RoleResident, ID: rid(person)},
			domain.ActivityCheckIn{ActivityID: "a3", PersonID: rid(person), Via: domain.ViaKioskCard})
	}
	if _, err := s.ApplyFacts(ctx, f.Dev.ID, []domain.Event{kiosk("p1"), kiosk("p2")}); err != nil {
		t.Fatal(err)
	}
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "HX01-R01", Name: "张三"}
	if res, err := s.SignUpStatus(ctx, "a3", rep.ID); err != nil || res.Place.Status != "" || res.Confirmed != 2 {
		t.Fatalf("before: %+v %v", res, err)
	}
	res, err := s.RepSignUp(ctx, "a3", rep, false)
	if err != nil || res.Place.Status != domain.SignUpWaitlisted || res.Place.Position != 1 {
		t.Fatalf("sign-up with the places taken: %+v %v", res, err)
	}
	// a resident cancels: the representative moves up, as any waiter would
	cancel := f.Fact(t, "activity:a3", domain.KindActivitySignUpCancelled, domain.Actor{Role: domain.RoleResident, ID: rid("p1")},
		domain.ActivityCheckIn{ActivityID: "a3", PersonID: rid("p1"), Via: domain.ViaKioskCard})
	if _, err := s.ApplyFacts(ctx, f.Dev.ID, []domain.Event{cancel}); err != nil {
		t.Fatal(err)
	}
	if res, err := s.SignUpStatus(ctx, "a3", rep.ID); err != nil || res.Place.Status != domain.SignUpConfirmed {
		t.Fatalf("after a cancellation: %+v %v", res, err)
	}
	// the station hears the hub's answer to the representative
	evs, err := s.EventsAfter(ctx, "HX01", 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	told := false
	for _, ev := range evs {
		var st domain.SignUpStatus
		if ev.Kind == domain.KindActivitySignUpStatus && jsonUnmarshal(ev.Data, &st) == nil && st.PersonID == rep.ID {
			told = st.Status == domain.SignUpConfirmed
		}
	}
	if !told {
		t.Error("the station was not told the representative has a place")
	}
	if _, err := s.RepSignUp(ctx, "a3", rep, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RepSignUp(ctx, "a3", rep, true); !errors.Is(err, store.ErrNoSignUp) {
		t.Errorf("second cancellation: %v", err)
	}
	if _, err := s.RepSignUp(ctx, "nope", rep, false); !errors.Is(err, store.ErrActivityNotFound) {
		t.Errorf("unknown activity: %v", err)
	}
}

func TestCoHandledCasesComeFromTheClaimResolution(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	k1 := &factMaker{Dev: pairDevice(t, s, "HX01", "kiosk"), At: t0}
	k2 := &factMaker{Dev: pairDevice(t, s, "HX01", "kiosk"), At: t0}
	sub := k1.Submission(t, cid("c1"), "N-c1")
	other := k1.Submission(t, cid("c2"), "N-c2")
	if _, err := s.ApplyFacts(ctx, k1.Dev.ID, []domain.Event{sub, other, k1.Claim(t, sub.Stream, "HX01-R01", "张三")}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CoHandledCases(ctx, "HX01-R02"); err != nil || len(got) != 0 {
		t.Fatalf("before the second claim: %+v %v", got, err)
	}
	if _, err := s.ApplyFacts(ctx, k2.Dev.ID, []domain.Event{k2.Claim(t, sub.Stream, "HX01-R02", "李四")}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CoHandledCases(ctx, "HX01-R02")
	if err != nil || len(got) != 1 || got[0].ID != sub.Stream || got[0].RepID != "HX01-R01" {
		t.Fatalf("co-handled: %+v %v", got, err)
	}
	if got, _ := s.CoHandledCases(ctx, "HX01-R01"); len(got) != 0 {
		t.Errorf("the lead co-handles %+v", got)
	}
}
