package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// resident is a synthetic resident id for the n-th test resident.
func resident(n int) string { return fmt.Sprintf("R-%020x", n) }

// putActivity records the activity (a ref.activity event) as the hub does when staff edit it.
func (e *env) putActivity(name string, a domain.Activity) {
	e.t.Helper()
	ev := domain.Event{Station: a.Station, Stream: "activity:" + a.ID, Kind: domain.KindActivityUpserted, At: e.clk.Now(),
		Actor: domain.Actor{Role: domain.RoleStaff, Name: "测试"}, Data: mustJSON(e.t, a)}
	if ok, err := e.s.Import(e.ctx, name, []domain.Event{ev}); err != nil || !ok {
		e.t.Fatalf("record activity %s: %v, %v", name, ok, err)
	}
}

// signUpFact is a resident's sign-up (or, with cancel, cancellation) at the kiosk.
func signUpFact(t testing.TB, f *Facts, activity, person string, cancel bool) domain.Event {
	kind := domain.KindActivitySignedUp
	if cancel {
		kind = domain.KindActivitySignUpCancelled
	}
	return f.Fact(t, "activity:"+activity, kind, domain.Actor{Role: domain.RoleResident, ID: person},
		domain.ActivityCheckIn{ActivityID: activity, PersonID: person, Via: domain.ViaKioskCard})
}

// answers returns the hub's latest sign-up answer to each person, as a station in the
// activity's scope receives them.
func (e *env) answers(station, activity string) map[string]domain.SignUpStatus {
	e.t.Helper()
	evs, err := e.s.EventsAfter(e.ctx, station, 0, 100000)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]domain.SignUpStatus{}
	for _, ev := range evs {
		if ev.Kind != domain.KindActivitySignUpStatus || ev.Stream != "activity:"+activity {
			continue
		}
		var st domain.SignUpStatus
		if err := json.Unmarshal(ev.Data, &st); err != nil {
			e.t.Fatal(err)
		}
		out[st.PersonID] = st
	}
	return out
}

func (e *env) roster(activity string) store.Roster {
	e.t.Helper()
	r, err := e.s.ActivityRoster(e.ctx, activity)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// testSignUps: places in order of arrival, the waitlist, a cancellation promoting the first
// waiter (at the kiosk's station and on the phone), capacity changes, a cancelled activity
// and the sign-up window, and the same places after a restart.
func testSignUps(t *testing.T, e *env) {
	e.addStation("HX01")
	e.addStation("HX02")
	act := domain.Activity{ID: "a5", Station: "HX01", Title: "议事会", Starts: t0.Add(48 * time.Hour),
		Ends: t0.Add(50 * time.Hour), Capacity: 2}
	e.putActivity("a5-v1", act)
	k := e.kiosk("HX01")
	e.apply(k, signUpFact(t, k, "a5", resident(1), false), signUpFact(t, k, "a5", resident(2), false))

	phone := "138 0013 8000"
	res, err := e.s.PhoneSignUp(e.ctx, "a5", phone, false)
	if err != nil || res.Place.Status != domain.SignUpWaitlisted || res.Place.Position != 1 ||
		res.Confirmed != 2 || res.Waiting != 1 {
		t.Fatalf("third sign-up, by phone: %+v, %v", res, err)
	}
	if again, err := e.s.PhoneSignUp(e.ctx, "a5", "13800138000", false); err != nil || again.Place != res.Place {
		t.Fatalf("repeat by phone: %+v, %v", again, err)
	}
	phonePerson := res.Place.PersonID
	if phonePerson == "" || phonePerson == phone {
		t.Fatalf("phone person %q", phonePerson)
	}

	// a kiosk of another station cannot sign up for HX01's activity
	other := e.kiosk("HX02")
	_, err = e.s.ApplyFacts(e.ctx, other.Dev.ID, []domain.Event{signUpFact(t, other, "a5", resident(9), false)})
	if !errors.Is(err, store.ErrInvalidFact) || domain.RefusalCode(err) != domain.CodeForeign {
		t.Fatalf("another station's sign-up: %v", err)
	}

	// resident 1 cancels at the kiosk: the phone's holder gets the place
	e.apply(k, signUpFact(t, k, "a5", resident(1), true))
	r := e.roster("a5")
	if !slices.Equal(r.Confirmed, []string{resident(2), phonePerson}) || len(r.Waiting) != 0 {
		t.Fatalf("after a cancellation: %+v", r)
	}
	said := e.answers("HX01", "a5")
	if st := said[phonePerson]; st.Status != domain.SignUpConfirmed || !st.Promoted {
		t.Fatalf("the promoted phone was told %+v", st)
	}
	if st := said[resident(1)]; st.Status != domain.SignUpCancelled || st.Reason != "" {
		t.Fatalf("the cancelled resident was told %+v", st)
	}
	if st, err := e.s.PhoneSignUpStatus(e.ctx, "a5", phone); err != nil || st.Place.Status != domain.SignUpConfirmed || !st.Place.Promoted {
		t.Fatalf("phone status: %+v, %v", st, err)
	}
	if len(e.answers("HX02", "a5")) != 0 {
		t.Fatal("HX02 receives HX01's sign-up answers")
	}

	// three more wait; capacity lowered to 1 takes nobody's place, raised to 3 promotes one
	e.apply(k, signUpFact(t, k, "a5", resident(3), false), signUpFact(t, k, "a5", resident(4), false),
		signUpFact(t, k, "a5", resident(5), false))
	act.Capacity = 1
	e.putActivity("a5-v2", act)
	if r := e.roster("a5"); len(r.Confirmed) != 2 || !slices.Equal(r.Waiting, []string{resident(3), resident(4), resident(5)}) {
		t.Fatalf("capacity lowered: %+v", r)
	}
	act.Capacity = 3
	e.putActivity("a5-v3", act)
	if r := e.roster("a5"); len(r.Confirmed) != 3 || r.Confirmed[2] != resident(3) ||
		!slices.Equal(r.Waiting, []string{resident(4), resident(5)}) {
		t.Fatalf("capacity raised: %+v", r)
	}
	said = e.answers("HX01", "a5")
	if st := said[resident(5)]; st.Status != domain.SignUpWaitlisted || st.Position != 2 {
		t.Fatalf("the last waiter was told %+v", st)
	}

	// cancelling twice, or without a sign-up, by phone
	if _, err := e.s.PhoneSignUp(e.ctx, "a5", phone, true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.PhoneSignUp(e.ctx, "a5", phone, true); !errors.Is(err, store.ErrNoSignUp) {
		t.Fatalf("second phone cancel: %v", err)
	}
	if _, err := e.s.PhoneSignUpStatus(e.ctx, "a5", "13900139000"); !errors.Is(err, store.ErrNoSignUp) {
		t.Fatalf("status of a phone never signed up: %v", err)
	}
	if r := e.roster("a5"); !slices.Equal(r.Confirmed, []string{resident(2), resident(3), resident(4)}) {
		t.Fatalf("after the phone cancelled: %+v", r)
	}

	// window and cancellation refuse new sign-ups
	for _, tc := range []struct {
		name   string
		change func(*domain.Activity)
		want   error
	}{
		{"not open", func(a *domain.Activity) { a.SignUpOpens = t0.Add(time.Hour) }, store.ErrSignUpNotOpen},
		{"closed", func(a *domain.Activity) { a.SignUpCloses = t0.Add(-time.Hour) }, store.ErrSignUpClosed},
		{"cancelled", func(a *domain.Activity) { a.Cancelled = true }, store.ErrActivityCancelled},
	} {
		changed := act
		tc.change(&changed)
		e.putActivity("a5-"+tc.name, changed)
		if _, err := e.s.PhoneSignUp(e.ctx, "a5", "13700137000", false); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	// a kiosk's sign-up to the cancelled activity is recorded and answered as not taken
	e.apply(k, signUpFact(t, k, "a5", resident(6), false))
	if st := e.answers("HX01", "a5")[resident(6)]; st.Status != domain.SignUpCancelled || st.Reason != domain.CodeActivityCancelled {
		t.Fatalf("sign-up to a cancelled activity told %+v", st)
	}
	if _, err := e.s.PhoneSignUp(e.ctx, "nope", phone, false); !errors.Is(err, store.ErrActivityNotFound) {
		t.Fatalf("unknown activity: %v", err)
	}
	if _, err := e.s.PhoneSignUp(e.ctx, "a5", "12345", false); !errors.Is(err, store.ErrBadPhone) {
		t.Fatalf("bad phone: %v", err)
	}

	before := e.roster("a5")
	e.reopen()
	if after := e.roster("a5"); !slices.Equal(after.Confirmed, before.Confirmed) || !slices.Equal(after.Waiting, before.Waiting) {
		t.Fatalf("after a restart %+v, before %+v", after, before)
	}
	e.checkLog("HX01", "HX02")
}

// testConcurrentSignUps: two kiosks and the phone page sign people up at once for an activity
// of 5 places; exactly 5 get one, the rest wait in one order, and every cancellation hands
// its place to the first waiter.
func testConcurrentSignUps(t *testing.T, e *env) {
	e.addStation("HX01")
	const capacity, perKiosk, phones = 5, 8, 6
	e.putActivity("a6", domain.Activity{ID: "a6", Station: "HX01", Title: "培训", Starts: t0.Add(48 * time.Hour),
		Ends: t0.Add(50 * time.Hour), Capacity: capacity})
	kiosks := []*Facts{e.kiosk("HX01"), e.kiosk("HX01")}
	var wg sync.WaitGroup
	errs := make(chan error, 2*perKiosk+phones)
	for i, k := range kiosks {
		facts := make([]domain.Event, perKiosk)
		for j := range facts {
			facts[j] = signUpFact(t, k, "a6", resident(100*(i+1)+j), false)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range facts { // one upload per sign-up, as a kiosk online sends them
				if _, err := e.s.ApplyFacts(e.ctx, k.Dev.ID, facts[j:j+1]); err != nil {
					errs <- err
				}
			}
		}()
	}
	for p := range phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.s.PhoneSignUp(e.ctx, "a6", fmt.Sprintf("1390000%04d", p), false); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	r := e.roster("a6")
	if len(r.Confirmed) != capacity || len(r.Waiting) != 2*perKiosk+phones-capacity {
		t.Fatalf("%d confirmed, %d waiting", len(r.Confirmed), len(r.Waiting))
	}
	said := e.answers("HX01", "a6")
	for i, p := range r.Waiting {
		if st := said[p]; st.Status != domain.SignUpWaitlisted || st.Position != i+1 {
			t.Fatalf("waiter %d told %+v", i+1, st)
		}
	}
	for _, p := range r.Confirmed {
		if st := said[p]; st.Status != domain.SignUpConfirmed || st.Promoted {
			t.Fatalf("%s told %+v", p, st)
		}
	}
	// cancel every confirmed kiosk resident: the first waiters take their places in order
	var cancelled int
	for i, k := range kiosks {
		var facts []domain.Event
		for _, p := range r.Confirmed {
			for j := range perKiosk {
				if p == resident(100*(i+1)+j) {
					facts = append(facts, signUpFact(t, k, "a6", p, true))
				}
			}
		}
		if len(facts) > 0 {
			e.apply(k, facts...)
			cancelled += len(facts)
		}
	}
	after := e.roster("a6")
	if len(after.Confirmed) != capacity || !slices.Equal(after.Waiting, r.Waiting[cancelled:]) {
		t.Fatalf("after %d cancellations: %+v, waiting before %v", cancelled, after, r.Waiting)
	}
	said = e.answers("HX01", "a6")
	for _, p := range r.Waiting[:cancelled] {
		if st := said[p]; st.Status != domain.SignUpConfirmed || !st.Promoted {
			t.Fatalf("first waiter %s told %+v", p, st)
		}
	}
	for i, p := range after.Waiting {
		if st := said[p]; st.Position != i+1 {
			t.Fatalf("waiter %s told %+v, now %d", p, st, i+1)
		}
	}

	// staff raise the capacity by two in the console: the next two waiters get places
	act, err := e.s.Activity(e.ctx, "a6")
	if err != nil {
		t.Fatal(err)
	}
	act.Capacity, act.Kind, act.Place = capacity+2, "培训", "联络站会议室"
	if _, err := e.s.PutRefs(e.ctx, []store.RefWrite{{Kind: domain.KindActivityUpserted, Key: "a6", Data: mustJSON(t, act)}},
		admin); err != nil {
		t.Fatalf("raise the capacity: %v", err)
	}
	raised := e.roster("a6")
	if len(raised.Confirmed) != capacity+2 || !slices.Equal(raised.Waiting, after.Waiting[2:]) {
		t.Fatalf("after raising the capacity: %+v", raised)
	}
	said = e.answers("HX01", "a6")
	for _, p := range after.Waiting[:2] {
		if st := said[p]; st.Status != domain.SignUpConfirmed || !st.Promoted {
			t.Fatalf("waiter %s told %+v after the capacity was raised", p, st)
		}
	}
	e.checkLog("HX01")
}
