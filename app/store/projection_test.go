package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
)

func hubEvent(t testing.TB, seq int64, kind domain.Kind, stream, station string, v any) domain.Event {
	return domain.Event{ID: fmt.Sprintf("hub-%d", seq), Device: domain.HubDevice, Station: station,
		Stream: stream, Kind: kind, At: t0.Add(time.Duration(seq) * time.Second), HubSeq: seq,
		Actor: domain.Actor{Role: domain.RoleSystem}, Data: js(t, v)}
}

func TestReferenceDataAndPeople(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	if err := s.ResetRemote(ctx, "ep"); err != nil {
		t.Fatal(err)
	}
	day := "2026-11-23"
	refs := []domain.Event{
		hubEvent(t, 1, domain.KindStationUpserted, "station:HX01", "HX01", domain.Station{Code: "HX01", Name: "测试站", Communities: []string{"测试社区"}}),
		hubEvent(t, 2, domain.KindCategoryUpserted, "category:b", "", domain.Category{Code: "b", Name: "乙", Order: 2}),
		hubEvent(t, 3, domain.KindCategoryUpserted, "category:a", "", domain.Category{Code: "a", Name: "甲", Order: 1}),
		hubEvent(t, 4, domain.KindCategoryUpserted, "category:b", "", domain.Category{Code: "b", Name: "乙改", Order: 3}),
		hubEvent(t, 5, domain.KindRepresentativeUpserted, "rep:r1", "HX01", domain.Representative{ID: "r1", Name: "测试代表"}),
		hubEvent(t, 6, domain.KindDepartmentUpserted, "dept:D01", "", domain.Department{Code: "D01", Name: "测试科"}),
		hubEvent(t, 7, domain.KindActivityUpserted, "activity:a1", "HX01", domain.Activity{ID: "a1", Title: "接待日", Starts: t0}),
		hubEvent(t, 8, domain.KindProjectUpserted, "project:p1", "HX01", domain.Project{ID: "p1", Name: "加装电梯", Progress: 40}),
		hubEvent(t, 9, domain.KindDutyRosterUpserted, "duty:HX01:"+day, "HX01", domain.DutyShift{Station: "HX01", Day: day, RepIDs: []string{"r1", "r2"}}),
		hubEvent(t, 10, domain.KindDutyRosterUpserted, "duty:HX01:2026-11-24", "HX01", domain.DutyShift{Station: "HX01", Day: "2026-11-24"}),
	}
	if err := s.ApplyRemote(ctx, "ep", refs, 10); err != nil {
		t.Fatal(err)
	}
	st, err := s.Station(ctx, "HX01")
	if err != nil || st.Name != "测试站" || len(st.Communities) != 1 {
		t.Fatalf("station %+v %v", st, err)
	}
	if _, err := s.Station(ctx, "XX"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown station: %v", err)
	}
	cats, _ := s.Categories(ctx)
	if len(cats) != 2 || cats[0].Code != "a" || cats[1].Name != "乙改" {
		t.Fatalf("categories %+v", cats)
	}
	reps, _ := s.Representatives(ctx)
	depts, _ := s.Departments(ctx)
	acts, _ := s.Activities(ctx)
	projs, _ := s.Projects(ctx)
	duty, _ := s.DutyToday(ctx, day)
	if len(reps) != 1 || len(depts) != 1 || len(acts) != 1 || len(projs) != 1 || projs[0].Progress != 40 {
		t.Fatalf("refs: %d reps %d depts %d acts %d projects", len(reps), len(depts), len(acts), len(projs))
	}
	if len(duty) != 1 || len(duty[0].RepIDs) != 2 {
		t.Fatalf("duty today %+v", duty)
	}

	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "r1"}
	sign := func(k domain.Kind, repID string, at time.Time) domain.Event {
		return domain.Event{Kind: k, Actor: rep, At: at, Data: js(t, domain.DutySign{RepID: repID, Badge: "b1"})}
	}
	mark := func(k domain.Kind, person string) domain.Event {
		return domain.Event{Kind: k, Stream: "activity:a1", Actor: rep, Data: js(t, domain.ActivityCheckIn{ActivityID: "a1", PersonID: person, Via: "kiosk-card"})}
	}
	_, err = s.Record(ctx,
		sign(domain.KindDutySignedIn, "r1", t0),
		sign(domain.KindDutySignedIn, "r2", t0.Add(time.Minute)),
		sign(domain.KindDutySignedOut, "r2", t0.Add(time.Hour)),
		sign(domain.KindDutySignedIn, "r3", t0.Add(-24*time.Hour)), // yesterday
		mark(domain.KindActivitySignedUp, "p1"), mark(domain.KindActivitySignedUp, "p2"),
		mark(domain.KindActivitySignedUp, "p2"), mark(domain.KindActivityCheckedIn, "p1"),
	)
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.SignedIn(ctx, day)
	if err != nil || strings.Join(in, ",") != "r1" {
		t.Fatalf("signed in %v %v", in, err)
	}
	cnt, err := s.ActivityCounts(ctx, "a1")
	if err != nil || cnt.SignedUp != 2 || cnt.Attended != 1 {
		t.Fatalf("activity counts %+v %v", cnt, err)
	}

	reg := domain.ResidentRegistered{IDHash: "h-1", IDMasked: domain.MaskID("11010519491231002X"), SurnameMask: "张*", Community: "测试社区", BirthYear: 1949}
	if _, err := s.Record(ctx,
		domain.Event{Kind: domain.KindResidentRegistered, Stream: "res-1", Actor: resident, Data: js(t, reg)},
		domain.Event{Kind: domain.KindResidentConsented, Stream: "res-1", Actor: resident},
	); err != nil {
		t.Fatal(err)
	}
	r, err := s.ResidentByHash(ctx, "h-1")
	if err != nil || r.ID != "res-1" || r.Community != "测试社区" || r.ConsentedAt.IsZero() || r.IDMasked != "110105********002X" {
		t.Fatalf("resident %+v %v", r, err)
	}
	if _, err := s.Resident(ctx, "res-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ResidentByHash(ctx, "h-2"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("unknown hash: %v", err)
	}
}

// dump renders every projection table, so two stores can be compared row by row.
func dump(t testing.TB, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range projectionTables() {
		rows, err := db.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2, 3`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s:", table)
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, " %v", v)
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

// workload drives a store through a seeded mix of local facts and hub pages, including
// conflicting claims and events that do not take effect.
func workload(t testing.TB, s *Store, seed int64, steps int) {
	ctx := context.Background()
	rng := rand.New(rand.NewSource(seed))
	if err := s.ResetRemote(ctx, "ep"); err != nil {
		t.Fatal(err)
	}
	var (
		ids    []string
		hubSeq int64
	)
	staff := domain.Actor{Role: domain.RoleStaff, ID: "staff-1"}
	dept := domain.Actor{Role: domain.RoleDepartment, ID: "D01"}
	for i := 0; i < steps; i++ {
		var ev domain.Event
		pick := func() string { return ids[rng.Intn(len(ids))] }
		switch op := rng.Intn(10); {
		case op < 3 || len(ids) == 0:
			ev = submission(t, "res-1")
		case op == 3:
			ev = caseEvent(t, pick(), domain.KindCaseAccepted, domain.Actor{Role: domain.RoleRepresentative, ID: fmt.Sprintf("rep-%d", rng.Intn(3))}, nil)
		case op == 4:
			ev = caseEvent(t, pick(), domain.KindCaseSupervised, staff, domain.CaseNote{Note: "督办"})
		case op == 5:
			ev = caseEvent(t, pick(), domain.KindCaseRated, resident, domain.CaseRated{Rating: domain.RatingUnsatisfied})
		case op == 6:
			ev = domain.Event{Kind: domain.KindActivityCheckedIn, Actor: resident,
				Data: js(t, domain.ActivityCheckIn{ActivityID: "a1", PersonID: fmt.Sprintf("p%d", rng.Intn(5))})}
		default:
			// a hub page: staff and department actions, another device's claim, ref data
			id := pick()
			hubSeq++
			evs := []domain.Event{
				{ID: fmt.Sprintf("h%d-a", hubSeq), Device: domain.HubDevice, Station: "HX01", Stream: id, Kind: domain.KindCaseAssigned,
					At: t0.Add(time.Duration(i) * time.Minute), HubSeq: hubSeq, Actor: staff, Data: js(t, domain.CaseAssigned{DeptCode: "D01"})},
			}
			hubSeq++
			evs = append(evs, domain.Event{ID: fmt.Sprintf("h%d-r", hubSeq), Device: domain.HubDevice, Station: "HX01", Stream: id,
				Kind: domain.KindCaseReplied, At: t0.Add(time.Duration(i) * time.Minute), HubSeq: hubSeq, Actor: dept,
				Data: js(t, domain.CaseReplied{Reply: "已处理"})})
			// another kiosk's case, new to this station: submitted and accepted in this page
			other := fmt.Sprintf("other-case-%d", i)
			hubSeq++
			evs = append(evs, domain.Event{ID: fmt.Sprintf("h%d-s", hubSeq), Device: "dev-k2", DevSeq: hubSeq, Station: "HX01",
				Stream: other, Kind: domain.KindCaseSubmitted, At: t0.Add(time.Duration(i) * time.Minute), HubSeq: hubSeq,
				Actor: resident, Data: js(t, domain.CaseSubmitted{Number: fmt.Sprintf("HX01-K2-20261123-%04d", i), Token: "tok",
					Category: "env", Text: "楼道堆物", Community: "测试社区", ResidentID: "res-2", SurnameMask: "王*"})})
			if rng.Intn(2) == 0 {
				hubSeq++
				evs = append(evs, domain.Event{ID: fmt.Sprintf("h%d-c", hubSeq), Device: "dev-k2", DevSeq: hubSeq, Station: "HX01",
					Stream: other, Kind: domain.KindCaseAccepted, At: t0.Add(time.Duration(i) * time.Minute), HubSeq: hubSeq,
					Actor: domain.Actor{Role: domain.RoleRepresentative, ID: "rep-9"}})
			}
			ids = append(ids, other)
			hubSeq++
			evs = append(evs, hubEvent(t, hubSeq, domain.KindCategoryUpserted, fmt.Sprintf("category:%d", rng.Intn(3)), "",
				domain.Category{Code: "c", Order: rng.Intn(100)}))
			// own facts come back sequenced too
			if facts, err := s.LocalFactsAfter(ctx, int64(rng.Intn(i+1)), 2); err == nil {
				for _, f := range facts {
					if f.HubSeq == 0 {
						hubSeq++
						f.HubSeq = hubSeq
						evs = append(evs, f)
					}
				}
			}
			if err := s.ApplyRemote(ctx, "ep", evs, hubSeq); err != nil {
				t.Fatal(err)
			}
			continue
		}
		stored, err := s.Record(ctx, ev)
		if err != nil {
			if errors.Is(err, domain.ErrIllegalTransition) {
				continue // refused, as the kiosk would refuse it
			}
			t.Fatal(err)
		}
		if ev.Kind == domain.KindCaseSubmitted {
			ids = append(ids, stored[0].Stream)
		}
	}
}

func TestRebuildEqualsIncremental(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			workload(t, s, seed, 150)
			before := dump(t, s.db)
			if !strings.Contains(before, "cases:") || !strings.Contains(before, "ref:") {
				t.Fatal("workload produced no projections to compare")
			}
			if err := s.RebuildProjections(context.Background()); err != nil {
				t.Fatal(err)
			}
			after := dump(t, s.db)
			if before != after {
				t.Fatalf("rebuild differs from incremental state\n--- incremental\n%s\n--- rebuilt\n%s", before, after)
			}
		})
	}
}

// A new station's catch-up folds cases first seen in a page from the page alone and re-reads
// the others; after every page the projections equal a rebuild from the stored events.
func TestApplyRemoteFoldsLikeRebuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pages := hubCatchUp(t, 120, 97)
	s := newStore(t)
	ref := newStore(t)
	for _, st := range []*Store{s, ref} {
		if err := st.ResetRemote(ctx, "ep"); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range pages {
		for _, st := range []*Store{s, ref} {
			if err := st.ApplyRemote(ctx, "ep", p, p[len(p)-1].HubSeq); err != nil {
				t.Fatal(err)
			}
		}
		if err := ref.RebuildProjections(ctx); err != nil {
			t.Fatal(err)
		}
		if got, want := dump(t, s.db), dump(t, ref.db); got != want {
			t.Fatalf("after page %d the projections differ from a rebuild\n--- applied\n%s\n--- rebuilt\n%s", i, got, want)
		}
	}
}
