package sqlitestore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Offline kiosks claim the same cases in random interleavings, uploads are repeated: whatever
// the order, every case has exactly one handler (the first claim in log order), every other
// claimant becomes a co-handler once, the projection equals a fresh fold of the log and the
// chain verifies.
func TestClaimsResolveByLogOrder(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			claimsResolve(t, seed)
		})
	}
}

func claimsResolve(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	s, _ := newStore(t)
	ctx := context.Background()
	addStation(t, s, "HX01")
	const kiosks, cases = 3, 6
	makers := make([]*factMaker, kiosks)
	for i := range makers {
		makers[i] = &factMaker{Dev: pairDevice(t, s, "HX01", store.RoleKiosk), At: t0}
	}
	var subs []domain.Event
	for c := range cases {
		subs = append(subs, makers[0].Submission(t, fmt.Sprintf("case-%d", c), fmt.Sprintf("N-%d", c)))
	}
	if _, err := s.ApplyFacts(ctx, makers[0].Dev.ID, subs); err != nil {
		t.Fatal(err)
	}
	// Each kiosk's representative claims a random subset of the cases while offline.
	pending := make([][]domain.Event, kiosks)
	claimants := map[string][]string{} // case → reps that claimed it
	for k, f := range makers {
		rep := fmt.Sprintf("rep-%d", k)
		for c := range cases {
			if rng.IntN(3) == 0 {
				continue
			}
			id := cid(fmt.Sprintf("case-%d", c))
			pending[k] = append(pending[k], f.Claim(t, id, rep, "代表"+rep))
			claimants[id] = append(claimants[id], rep)
		}
	}
	// Deliver in random chunks, interleaving kiosks, sometimes resending what was sent.
	sent := make([]int, kiosks)
	for {
		open := []int{}
		for k := range kiosks {
			if sent[k] < len(pending[k]) {
				open = append(open, k)
			}
		}
		if len(open) == 0 {
			break
		}
		k := open[rng.IntN(len(open))]
		from := max(0, sent[k]-rng.IntN(2))
		to := min(len(pending[k]), sent[k]+1+rng.IntN(3))
		if _, err := s.ApplyFacts(ctx, makers[k].Dev.ID, pending[k][from:to]); err != nil {
			t.Fatal(err)
		}
		sent[k] = to
	}
	for c := range cases {
		id := cid(fmt.Sprintf("case-%d", c))
		evs, err := s.StreamEvents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		folded, _ := domain.Fold(evs, domain.DefaultRules())
		if folded.RepID != got.RepID || folded.Version != got.Version || !slices.Equal(folded.CoHandlers, got.CoHandlers) {
			t.Fatalf("%s: projection %+v, fold %+v", id, got, folded)
		}
		var first string
		for _, ev := range evs {
			if ev.Kind == domain.KindCaseAccepted {
				first = ev.Actor.ID
				break
			}
		}
		if got.RepID != first {
			t.Fatalf("%s handled by %q, first claim in the log by %q", id, got.RepID, first)
		}
		var co []string
		for _, h := range got.CoHandlers {
			co = append(co, h.RepID)
		}
		want := slices.DeleteFunc(slices.Clone(claimants[id]), func(r string) bool { return r == first })
		slices.Sort(co)
		slices.Sort(want)
		if !slices.Equal(co, want) {
			t.Fatalf("%s co-handlers %v, want %v", id, co, want)
		}
	}
	for k, f := range makers {
		want := int64(len(pending[k]))
		if k == 0 {
			want += cases
		}
		if n, _ := s.LastDevSeq(ctx, f.Dev.ID); n != want {
			t.Fatalf("kiosk %d at %d, want %d", k, n, want)
		}
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}
