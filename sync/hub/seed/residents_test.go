package seed

import (
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"golang.org/x/crypto/nacl/box"

	"liaison/sync/domain"
)

type testKeys struct {
	res      []byte
	pub, pri *[32]byte
}

func (k testKeys) ResidentKey() []byte    { return k.res }
func (k testKeys) BoxPublicKey() [32]byte { return *k.pub }

func TestDemoResidentsHaveARateableCase(t *testing.T) {
	t.Parallel()
	pub, pri, err := box.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keys := testKeys{res: []byte("district-resident-key-0123456789"), pub: pub, pri: pri}
	now := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	evs, err := Residents(keys, now)
	if err != nil {
		t.Fatal(err)
	}
	streams := map[string][]domain.Event{}
	var regs []domain.ResidentRegistered
	for _, ev := range evs {
		if ev.Station != StationCode {
			t.Fatalf("event outside the station's scope: %+v", ev)
		}
		if ev.Kind == domain.KindResidentRegistered {
			var r domain.ResidentRegistered
			if err := json.Unmarshal(ev.Data, &r); err != nil {
				t.Fatal(err)
			}
			regs = append(regs, r)
			continue
		}
		streams[ev.Stream] = append(streams[ev.Stream], ev)
	}
	if len(regs) != 2 {
		t.Fatalf("%d registrations", len(regs))
	}
	want := domain.ResidentHash(keys.res, "11010519491231002X")
	if regs[0].IDHash != want {
		t.Fatal("the sample card's holder is not recognisable with the district key")
	}
	if id, ok := box.OpenAnonymous(nil, regs[0].Sealed, pub, pri); !ok || string(id) != "11010519491231002X" {
		t.Fatal("sealed number does not open to the sample card's number")
	}
	states := map[domain.State]int{}
	for _, evs := range streams {
		c, applied := domain.Fold(evs, domain.DefaultRules())
		for _, a := range applied {
			if !a.Effective {
				t.Fatalf("demo event without effect: %+v", a)
			}
		}
		if c.ResidentID != domain.ResidentID(want) {
			t.Fatalf("case owner %q", c.ResidentID)
		}
		states[c.State]++
	}
	if states[domain.StateReplied] != 1 || states[domain.StateAssigned] != 1 {
		t.Fatalf("states %v", states)
	}
}
