// Package storetest is the contract test suite of the hub store: every engine of store.Store
// runs it from its own tests, through the interface only, so that what the server and the
// sync endpoint rely on holds whatever the engine.
//
//	func TestContract(t *testing.T) { storetest.Run(t, storetest.Harness{Open: …, Reopen: …}) }
package storetest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Harness opens stores of one engine for the suite. The suite closes every store it is given.
type Harness struct {
	// Open opens a store on new, empty data of its own, reading the time from now.
	Open func(t *testing.T, now func() time.Time) store.Store
	// Reopen closes s and opens the same data again, as a restart of the hub does.
	Reopen func(t *testing.T, s store.Store, now func() time.Time) store.Store
}

// Run runs the contract tests against the engine of h, each as a parallel subtest.
func Run(t *testing.T, h Harness) {
	tests := []struct {
		name string
		fn   func(*testing.T, *env)
	}{
		{"EpochStableAcrossReopenAndUniquePerDatabase", testEpoch},
		{"Pairing", testPairing},
		{"PendingPairingsListLookupCancel", testPendingPairings},
		{"PairingCodeSingleUseUnderRace", testPairingRace},
		{"DeviceRevoke", testRevoke},
		{"RevokedDevicesListed", testRevokedDevices},
		{"Heartbeat", testHeartbeat},
		{"ApplyFactsExactlyOnce", testApplyExactlyOnce},
		{"ApplyFactsRefusesInvalid", testApplyRefusesInvalid},
		{"RefuseFactSetsAside", testRefuseFact},
		{"ConcurrentUploadsKeepLogGapless", testConcurrentUploads},
		{"ConcurrentClaimsBecomeCoHandler", testConcurrentClaims},
		{"CaseProjectionAndStaffAct", testCaseProjection},
		{"CaseLookupsAndFilter", testCaseLookups},
		{"BoardCountsAsTally", testBoardCounts},
		{"EventsAfterScopeOrderLimit", testEventsAfter},
		{"SubscribeSeesAppends", testSubscribe},
		{"ReferenceData", testReference},
		{"BadgesIssueRevokeList", testBadges},
		{"DutySignsOfADay", testDutySigns},
		{"CheckInCodesVerify", testCheckInCodes},
		{"PhoneCheckInOncePerPhone", testPhoneCheckIn},
		{"PutRefs", testPutRefs},
		{"SignUpsWaitlistAndCancel", testSignUps},
		{"ConcurrentSignUpsKeepCapacity", testConcurrentSignUps},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newEnv(t, h))
		})
	}
}

// t0 is 10:00 on a Monday in the stations' zone.
var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

// env is one test's store and the clock it reads.
type env struct {
	t   *testing.T
	h   Harness
	clk *clocktest.Clock
	s   store.Store
	ctx context.Context
}

func newEnv(t *testing.T, h Harness) *env {
	e := &env{t: t, h: h, clk: clocktest.New(t0), ctx: context.Background()}
	e.s = h.Open(t, e.clk.Now)
	t.Cleanup(func() { e.s.Close() })
	return e
}

// reopen restarts the store on the same data.
func (e *env) reopen() { e.s = e.h.Reopen(e.t, e.s, e.clk.Now) }

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// addStation records a station so devices can be paired to it.
func (e *env) addStation(code string) {
	e.t.Helper()
	AddStation(e.t, e.s, code)
}

// pair enrols a device of the station.
func (e *env) pair(station, role string) store.DeviceInfo {
	e.t.Helper()
	return Pair(e.t, e.s, station, role, "测试设备")
}

func newKey(t testing.TB) ed25519.PublicKey {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Error(err)
	}
	return pub
}

// kiosk enrols a kiosk of the station and returns a maker of its facts.
func (e *env) kiosk(station string) *Facts {
	e.t.Helper()
	return &Facts{Dev: e.pair(station, store.RoleKiosk), At: t0}
}

// apply uploads facts that must all apply.
func (e *env) apply(f *Facts, facts ...domain.Event) store.ApplyResult {
	e.t.Helper()
	res, err := e.s.ApplyFacts(e.ctx, f.Dev.ID, facts)
	if err != nil {
		e.t.Fatalf("apply facts of %s: %+v, %v", f.Dev.Code, res, err)
	}
	return res
}

func (e *env) lastSeq() int64 {
	e.t.Helper()
	n, err := e.s.LastSeq(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// checkLog asserts the log is whole: the scopes of the stations given (and the global one)
// hold every sequence 1 … LastSeq exactly once, no event id is stored twice, and the hash
// chain verifies. It returns the log in order.
func (e *env) checkLog(stations ...string) []domain.Event {
	e.t.Helper()
	last := e.lastSeq()
	bySeq := map[int64]domain.Event{}
	seqOf := map[string]int64{}
	for _, st := range append(stations, "") {
		evs, err := e.s.EventsAfter(e.ctx, st, 0, int(last)+1)
		if err != nil {
			e.t.Fatal(err)
		}
		for _, ev := range evs {
			if prev, ok := bySeq[ev.HubSeq]; ok && prev.ID != ev.ID {
				e.t.Fatalf("seq %d holds %s and %s", ev.HubSeq, prev.ID, ev.ID)
			}
			if seq, ok := seqOf[ev.ID]; ok && seq != ev.HubSeq {
				e.t.Fatalf("event %s stored twice, at %d and %d", ev.ID, seq, ev.HubSeq)
			}
			bySeq[ev.HubSeq], seqOf[ev.ID] = ev, ev.HubSeq
		}
	}
	out := make([]domain.Event, 0, last)
	for seq := int64(1); seq <= last; seq++ {
		ev, ok := bySeq[seq]
		if !ok {
			e.t.Fatalf("log has no event at %d of %d", seq, last)
		}
		out = append(out, ev)
	}
	if int64(len(bySeq)) != last {
		e.t.Fatalf("%d events in the log, last seq %d", len(bySeq), last)
	}
	if err := e.s.VerifyChain(e.ctx); err != nil {
		e.t.Fatalf("verify chain: %v", err)
	}
	return out
}
