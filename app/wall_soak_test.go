package app

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
)

// TestWallSoakDay is the driver of build/scripts/soak.sh, not a test of its own: with
// LIAISON_SOAK_HUB set to a hub's data directory it appends one simulated day of a busy
// station there (new cases, and every open case moved one step on), which the hub's log
// watcher pushes to the wall. Without it, it is skipped.
func TestWallSoakDay(t *testing.T) {
	dir := os.Getenv("LIAISON_SOAK_HUB")
	if dir == "" {
		t.Skip("LIAISON_SOAK_HUB not set: only build/scripts/soak.sh runs this")
	}
	day, _ := strconv.Atoi(os.Getenv("LIAISON_SOAK_DAY"))
	ctx := context.Background()
	hs, err := sqlitestore.Open(ctx, dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	rng := rand.New(rand.NewSource(int64(day)))
	now := time.Now().UTC()
	var evs []domain.Event
	for i := range 40 {
		id := domain.NewEventID()
		sub := domain.CaseSubmitted{Number: fmt.Sprintf("HX01-SK-%04d-%03d", day, i), Token: domain.NewToken(),
			Category: []string{"env", "traffic", "property", "elderly", "facility", "other"}[rng.Intn(6)],
			Text:     boardTexts[rng.Intn(len(boardTexts))], Community: "朝阳社区", Anonymous: true}
		ev, err := newEvent(domain.KindCaseSubmitted, id, domain.Actor{Role: domain.RoleAnonymous},
			now.Add(-time.Duration(40-i)*time.Second), sub)
		if err != nil {
			t.Fatal(err)
		}
		ev.Station = "HX01"
		evs = append(evs, ev)
	}
	if _, err := hs.Import(ctx, fmt.Sprintf("soak-day-%d-%d", day, now.UnixNano()), evs); err != nil {
		t.Fatal(err)
	}
	moved := 0
	staff := domain.Actor{Role: domain.RoleStaff, ID: "soak", Name: "值班"}
	steps := []struct {
		from    domain.State
		kind    domain.Kind
		actor   func(c domain.Case) domain.Actor
		payload func(c domain.Case) any
	}{
		{domain.StateSubmitted, domain.KindCaseAccepted, func(domain.Case) domain.Actor { return staff },
			func(domain.Case) any { return domain.CaseAccepted{} }},
		{domain.StateAccepted, domain.KindCaseAssigned, func(domain.Case) domain.Actor { return staff },
			func(domain.Case) any { return domain.CaseAssigned{DeptCode: "JD-CG", DeptName: "城管科"} }},
		{domain.StateAssigned, domain.KindCaseReplied,
			func(c domain.Case) domain.Actor { return domain.Actor{Role: domain.RoleDepartment, ID: c.DeptCode} },
			func(domain.Case) any { return domain.CaseReplied{Reply: "已安排处理，感谢反映"} }},
		{domain.StateReplied, domain.KindCaseClosed, func(domain.Case) domain.Actor { return staff },
			func(domain.Case) any { return domain.CaseNote{Note: "办结"} }},
	}
	for _, st := range steps {
		cases, err := hs.Cases(ctx, store.CaseFilter{State: st.from, Limit: 40})
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			if i >= 40 {
				break
			}
			if _, err := hs.Act(ctx, c.ID, st.kind, st.actor(c), st.payload(c)); err == nil {
				moved++
			}
		}
	}
	t.Logf("day %d: %d new cases, %d moved", day, len(evs), moved)
}
