package domain

import (
	"encoding/json"
	"math/rand"
	"testing"
	"time"
)

func TestFoldConcurrentClaimsConverge(t *testing.T) {
	t.Parallel()
	rules := DefaultRules()
	evs := buildEvents(t, pathTo(StateSubmitted), false)
	claim := func(id, rep string, at time.Time) Event {
		return Event{ID: id, Stream: "case-1", Kind: KindCaseAccepted, At: at,
			Actor: Actor{Role: RoleRepresentative, ID: rep, Name: rep}}
	}
	// two representatives claimed offline at two stations; the hub took rep-a first and
	// recorded rep-b as co-handler.
	hubOrder := append(append([]Event{}, evs...),
		claim("ca", "rep-a", t0.Add(2*time.Hour)),
		claim("cb", "rep-b", t0.Add(time.Hour)),
		Event{ID: "co", Stream: "case-1", Kind: KindCaseCoHandler, At: t0.Add(3 * time.Hour),
			Actor: Actor{Role: RoleSystem}, Data: mustJSON(t, CaseCoHandler{RepID: "rep-b", RepName: "rep-b"})},
	)
	c, applied := Fold(hubOrder, rules)
	if c.State != StateAccepted || c.RepID != "rep-a" {
		t.Fatalf("claim: %s %s", c.State, c.RepID)
	}
	if len(c.CoHandlers) != 1 || c.CoHandlers[0].RepID != "rep-b" {
		t.Fatalf("co-handlers %+v", c.CoHandlers)
	}
	if len(applied) != len(hubOrder) {
		t.Fatalf("applied has %d entries for %d events", len(applied), len(hubOrder))
	}
	if a := applied[2]; a.EventID != "cb" || a.Effective || a.Reason == "" || a.Code != CodeState {
		t.Fatalf("losing claim reported as %+v", a)
	}
	for i, a := range applied {
		if i != 2 && !a.Effective {
			t.Errorf("event %s not effective: %s", a.EventID, a.Reason)
		}
	}
	// folding the same ordered events again gives the same case
	again, _ := Fold(hubOrder, rules)
	if again.RepID != c.RepID || again.Version != c.Version || len(again.CoHandlers) != 1 {
		t.Fatal("fold is not deterministic")
	}
}

func TestFoldLateRatingAfterClosedUnrated(t *testing.T) {
	t.Parallel()
	rules := DefaultRules()
	evs := buildEvents(t, pathTo(StateReplied), false)
	replied := evs[len(evs)-1].At
	evs = append(evs,
		Event{ID: "auto", Stream: "case-1", Kind: KindCaseClosed, At: rules.RatingDeadline(replied).Add(time.Minute), Actor: Actor{Role: RoleSystem}},
		Event{ID: "late", Stream: "case-1", Kind: KindCaseRated, At: rules.RatingDeadline(replied).Add(-time.Hour),
			Actor: actorFor(RoleResident), Data: mustJSON(t, CaseRated{Rating: RatingUnsatisfied})},
	)
	c, applied := Fold(evs, rules)
	if c.State != StateClosed || !c.ClosedUnrated || c.Rating != "" {
		t.Fatalf("case %s unrated=%v rating=%q", c.State, c.ClosedUnrated, c.Rating)
	}
	if applied[len(applied)-1].Effective {
		t.Fatal("rating after closing took effect")
	}
}

func TestFoldSkipsDuplicatesAndStrangers(t *testing.T) {
	t.Parallel()
	evs := buildEvents(t, pathTo(StateAccepted), false)
	evs = append(evs, evs[1], Event{ID: "zz", Stream: "case-1", Kind: KindDutySignedIn})
	c, applied := Fold(evs, DefaultRules())
	if c.Version != 2 {
		t.Fatalf("version %d, want 2", c.Version)
	}
	if applied[2].Effective || applied[3].Effective {
		t.Fatalf("duplicate or foreign event effective: %+v", applied)
	}
}

func TestFoldBeforeSubmission(t *testing.T) {
	t.Parallel()
	// the claim arrived first (local fact of a device that saw the case, not yet ordered)
	evs := buildEvents(t, pathTo(StateAccepted), false)
	evs[0], evs[1] = evs[1], evs[0]
	c, applied := Fold(evs, DefaultRules())
	if c.State != StateSubmitted || applied[0].Effective || !applied[1].Effective {
		t.Fatalf("state %s applied %+v", c.State, applied)
	}
}

// FuzzFold feeds random event sequences: Fold never panics, and the projection only counts
// events it reported effective.
func FuzzFold(f *testing.F) {
	f.Add(int64(1), 10)
	f.Add(int64(42), 40)
	kinds := []Kind{KindCaseSubmitted, KindCaseAccepted, KindCaseAssigned, KindCaseProgress,
		KindCaseReturned, KindCaseSupervised, KindCaseReplied, KindCaseRated, KindCaseReopened,
		KindCaseClosed, KindCaseWithdrawn, KindCaseMerged, KindCaseCoHandler}
	roles := []Role{RoleResident, RoleAnonymous, RoleRepresentative, RoleStaff, RoleDepartment, RoleSystem}
	f.Fuzz(func(t *testing.T, seed int64, n int) {
		if n < 0 || n > 200 {
			return
		}
		rng := rand.New(rand.NewSource(seed))
		var evs []Event
		for i := 0; i < n; i++ {
			k := kinds[rng.Intn(len(kinds))]
			role := roles[rng.Intn(len(roles))]
			var data json.RawMessage
			switch rng.Intn(3) {
			case 0:
				data = validPayload(t, k, role == RoleAnonymous)
			case 1:
				data = json.RawMessage(`{"rating":"x","note":"","into":"case-1"}`)
			default:
				data = json.RawMessage(`{garbage`)
			}
			evs = append(evs, Event{ID: string(rune('a'+i%26)) + string(rune('a'+i/26)), Stream: "case-1",
				Kind: k, At: t0.Add(time.Duration(rng.Intn(1000)) * time.Hour), Actor: actorFor(role), Data: data})
		}
		c, applied := Fold(evs, DefaultRules())
		eff := 0
		for _, a := range applied {
			if a.Effective {
				eff++
			} else if a.Reason == "" {
				t.Fatal("ineffective event without a reason")
			}
		}
		if eff != c.Version {
			t.Fatalf("version %d, effective %d", c.Version, eff)
		}
	})
}
