package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
	"liaison/sync/sqlitedb"
)

var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // 10:00 in the stations' zone

func openAt(t testing.TB, path string) *Store {
	t.Helper()
	c := clocktest.NewStepping(t0, time.Second)
	s, err := Open(path, nil, WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newStore(t testing.TB) *Store {
	t.Helper()
	s := openAt(t, filepath.Join(t.TempDir(), "station.db"))
	t.Cleanup(func() { s.Close() })
	provision(t, s)
	return s
}

func provision(t testing.TB, s *Store) {
	t.Helper()
	ctx := context.Background()
	for k, v := range map[string]string{MetaDeviceID: "dev-k1", MetaDeviceCode: "K1", MetaStation: "HX01", MetaStationName: "测试联络站"} {
		if err := s.SetMeta(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
}

func js(t testing.TB, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var resident = domain.Actor{Role: domain.RoleResident, ID: "res-1", Name: "张*"}

func submission(t testing.TB, residentID string) domain.Event {
	actor := domain.Actor{Role: domain.RoleAnonymous}
	p := domain.CaseSubmitted{Category: "env", Text: "小区路灯不亮已经一周", Community: "测试社区", Anonymous: true}
	if residentID != "" {
		actor = domain.Actor{Role: domain.RoleResident, ID: residentID, Name: "张*"}
		p.ResidentID, p.Anonymous, p.SurnameMask = residentID, false, "张*"
	}
	return domain.Event{Kind: domain.KindCaseSubmitted, Actor: actor, Data: js(t, p)}
}

func caseEvent(t testing.TB, stream string, k domain.Kind, actor domain.Actor, payload any) domain.Event {
	ev := domain.Event{Stream: stream, Kind: k, Actor: actor}
	if payload != nil {
		ev.Data = js(t, payload)
	}
	return ev
}

func TestRecordSubmission(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	got, err := s.Record(ctx, submission(t, "res-1"), submission(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("stored %d events", len(got))
	}
	for i, ev := range got {
		if ev.ID == "" || ev.Stream == "" || ev.Device != "dev-k1" || ev.Station != "HX01" || ev.DevSeq != int64(i+1) || ev.At.IsZero() {
			t.Fatalf("event %d not filled: %+v", i, ev)
		}
		var p domain.CaseSubmitted
		if err := json.Unmarshal(ev.Data, &p); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("HX01-K1-20261123-%04d", i+1)
		if p.Number != want || len(p.Token) != 22 {
			t.Fatalf("number %q token %q, want %s", p.Number, p.Token, want)
		}
		c, err := s.Case(ctx, ev.Stream)
		if err != nil || c.Number != want || c.State != domain.StateSubmitted {
			t.Fatalf("case projection %+v, %v", c, err)
		}
		if byNum, err := s.CaseByNumber(ctx, want); err != nil || byNum.ID != ev.Stream {
			t.Fatalf("by number: %v", err)
		}
	}
	mine, err := s.CasesByResident(ctx, "res-1")
	if err != nil || len(mine) != 1 || mine[0].ID != got[0].Stream {
		t.Fatalf("cases by resident: %v %v", mine, err)
	}
	open, err := s.OpenCasesUnclaimed(ctx, "HX01")
	if err != nil || len(open) != 2 {
		t.Fatalf("unclaimed: %d %v", len(open), err)
	}
	if n, _ := s.OutboxDepth(ctx); n != 2 {
		t.Fatalf("outbox depth %d", n)
	}
	if _, err := s.Case(ctx, "nope"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
	// the counter goes on after a reopen of the store
	n, err := s.NextCaseCounter(ctx, t0)
	if err != nil || n != 3 {
		t.Fatalf("next counter %d, %v", n, err)
	}
}

// Submit records what Record records for the same submission and hands back the payload as
// stored, so the kiosk learns the number without decoding it.
func TestSubmit(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	actor := domain.Actor{Role: domain.RoleResident, ID: "res-1", Name: "张*"}
	give := domain.CaseSubmitted{Token: "tok-given-by-the-kiosk", Category: "env", Text: "小区路灯不亮已经一周",
		ResidentID: "res-1", SurnameMask: "张*"}
	ev, p, err := s.Submit(ctx, domain.Event{Kind: domain.KindCaseRated, Actor: actor, Data: js(t, "ignored")}, give)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != domain.KindCaseSubmitted || ev.DevSeq != 1 || ev.Stream == "" || p.Number != "HX01-K1-20261123-0001" || p.Token != give.Token {
		t.Fatalf("submitted %+v with %+v", ev, p)
	}
	var stored domain.CaseSubmitted
	if err := json.Unmarshal(ev.Data, &stored); err != nil || stored != p {
		t.Fatalf("stored payload %+v, returned %+v (%v)", stored, p, err)
	}
	if tl, err := s.Timeline(ctx, ev.Stream); err != nil || len(tl) != 1 || string(tl[0].Data) != string(ev.Data) {
		t.Fatalf("timeline %+v %v", tl, err)
	}
	// a second one gets the next number and a token of its own
	give.Token = ""
	_, p2, err := s.Submit(ctx, domain.Event{Actor: actor}, give)
	if err != nil || p2.Number != "HX01-K1-20261123-0002" || len(p2.Token) != 22 {
		t.Fatalf("second submission %+v %v", p2, err)
	}
	// and an illegal one records nothing
	give.Text = " "
	if _, _, err := s.Submit(ctx, domain.Event{Actor: actor}, give); err == nil {
		t.Fatal("a blank submission was recorded")
	}
	if n, _ := s.LastLocalSeq(ctx); n != 2 {
		t.Fatalf("last local seq %d after a refused submission", n)
	}
}

func TestRecordRejects(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	sub, err := s.Record(ctx, submission(t, "res-1"))
	if err != nil {
		t.Fatal(err)
	}
	id := sub[0].Stream
	rep := domain.Actor{Role: domain.RoleRepresentative, ID: "rep-1", Name: "测试代表"}
	cases := []struct {
		name  string
		evs   []domain.Event
		check func(error) bool
	}{
		{"rate before reply", []domain.Event{caseEvent(t, id, domain.KindCaseRated, resident, domain.CaseRated{Rating: domain.RatingSatisfied})},
			func(err error) bool { _, ok := err.(*domain.TransitionError); return ok }},
		{"batch with an illegal second event", []domain.Event{
			caseEvent(t, id, domain.KindCaseAccepted, rep, nil),
			caseEvent(t, id, domain.KindCaseAccepted, rep, nil)},
			func(err error) bool { return errors.Is(err, domain.ErrIllegalTransition) }},
		{"reference data", []domain.Event{{Kind: domain.KindCategoryUpserted, Data: js(t, domain.Category{Code: "x"})}},
			func(err error) bool { return errors.Is(err, ErrInvalidEvent) }},
		{"bad json", []domain.Event{{Kind: domain.KindReceptionLogged, Data: json.RawMessage(`{`)}},
			func(err error) bool { return errors.Is(err, ErrInvalidEvent) }},
		{"case event without case", []domain.Event{{Kind: domain.KindCaseSupervised}},
			func(err error) bool { return errors.Is(err, ErrInvalidEvent) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.Record(ctx, c.evs...); !c.check(err) {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if n, _ := s.LastLocalSeq(ctx); n != 1 {
				t.Fatalf("a rejected call stored something: last seq %d", n)
			}
			if cs, _ := s.Case(ctx, id); cs.State != domain.StateSubmitted {
				t.Fatalf("a rejected call moved the case to %s", cs.State)
			}
		})
	}
}

func TestRecordNotProvisioned(t *testing.T) {
	t.Parallel()
	s := openAt(t, filepath.Join(t.TempDir(), "x.db"))
	defer s.Close()
	if _, err := s.Record(context.Background(), submission(t, "res-1")); !errors.Is(err, ErrNotProvisioned) {
		t.Fatalf("err = %v", err)
	}
	if id, _ := s.Meta(context.Background(), MetaDeviceID); len(id) != 36 {
		t.Fatalf("no device id made at open: %q", id)
	}
}

func TestDevSeqGaplessUnderConcurrency(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	const workers, each = 4, 15
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := s.Record(ctx, submission(t, "")); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	facts, err := s.LocalFactsAfter(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	numbers := map[string]bool{}
	for i, f := range facts {
		if f.DevSeq != int64(i+1) {
			t.Fatalf("fact %d has seq %d", i, f.DevSeq)
		}
		var p domain.CaseSubmitted
		json.Unmarshal(f.Data, &p)
		if numbers[p.Number] {
			t.Fatalf("case number %s given twice", p.Number)
		}
		numbers[p.Number] = true
	}
	if len(facts) != workers*each {
		t.Fatalf("%d facts, want %d", len(facts), workers*each)
	}
}

func TestLocalStoreSync(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	if e, n, err := s.Cursor(ctx); e != "" || n != 0 || err != nil {
		t.Fatalf("new cursor %q %d %v", e, n, err)
	}
	own, err := s.Record(ctx, submission(t, "res-1"), submission(t, "res-1"), submission(t, "res-1"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.LocalFactsAfter(ctx, 1, 10)
	if err != nil || len(page) != 2 || page[0].DevSeq != 2 {
		t.Fatalf("facts after 1: %v %v", page, err)
	}
	if err := s.MarkUploaded(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.OutboxDepth(ctx); n != 1 {
		t.Fatalf("outbox after upload of 2: %d", n)
	}
	if all, _ := s.LocalFactsAfter(ctx, 0, 10); len(all) != 3 {
		t.Fatal("uploaded facts were not kept")
	}
	// a hub restored from a backup knows only the first fact
	if err := s.MarkUploaded(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.OutboxDepth(ctx); n != 2 {
		t.Fatalf("outbox after hub went back to 1: %d", n)
	}
	// the depth counts exactly what the sync client would upload next
	up, err := s.Uploaded(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next, _ := s.LocalFactsAfter(ctx, up, 10); len(next) != 2 || next[0].ID != own[1].ID || next[1].ID != own[2].ID {
		t.Fatalf("facts after uploaded %d: %v", up, next)
	}
	var tables int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'outbox'`).Scan(&tables); err != nil || tables != 0 {
		t.Fatalf("outbox table still there: %d %v", tables, err)
	}

	if err := s.ApplyRemote(ctx, "ep1", nil, 0); !errors.Is(err, ErrEpochMismatch) {
		t.Fatalf("apply without reset: %v", err)
	}
	if err := s.ResetRemote(ctx, "ep1"); err != nil {
		t.Fatal(err)
	}
	mine := own[0]
	mine.HubSeq = 1
	other := submission(t, "")
	other.ID, other.Stream, other.Device, other.DevSeq, other.Station, other.HubSeq, other.At =
		"ev-other", "case-other", "dev-k2", 7, "HX01", 2, t0
	other.Data = js(t, domain.CaseSubmitted{Number: "HX01-K2-20261123-0001", Token: "tok", Text: "测试问题", Anonymous: true})
	ref := domain.Event{ID: "ev-cat", Stream: "category:env", Kind: domain.KindCategoryUpserted, Device: domain.HubDevice,
		At: t0, HubSeq: 3, Actor: domain.Actor{Role: domain.RoleSystem}, Data: js(t, domain.Category{Code: "env", Name: "环境"})}
	for i := 0; i < 2; i++ { // a duplicated page changes nothing
		if err := s.ApplyRemote(ctx, "ep1", []domain.Event{mine, other, ref}, 3); err != nil {
			t.Fatal(err)
		}
	}
	if e, n, _ := s.Cursor(ctx); e != "ep1" || n != 3 {
		t.Fatalf("cursor %s %d", e, n)
	}
	tl, _ := s.Timeline(ctx, mine.Stream)
	if len(tl) != 1 || tl[0].HubSeq != 1 {
		t.Fatalf("own fact did not get its hub sequence: %+v", tl)
	}
	if c, err := s.Case(ctx, "case-other"); err != nil || c.Number != "HX01-K2-20261123-0001" {
		t.Fatalf("remote case: %v", err)
	}
	if cats, _ := s.Categories(ctx); len(cats) != 1 {
		t.Fatalf("categories %v", cats)
	}
	if n, _ := s.LastLocalSeq(ctx); n != 3 {
		t.Fatalf("remote events counted as local: %d", n)
	}

	if err := s.ResetRemote(ctx, "ep2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Case(ctx, "case-other"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatal("remote case survived a reset")
	}
	if cats, _ := s.Categories(ctx); len(cats) != 0 {
		t.Fatal("reference data survived a reset")
	}
	if c, err := s.Case(ctx, mine.Stream); err != nil || c.State != domain.StateSubmitted {
		t.Fatalf("own case lost in reset: %v", err)
	}
	if all, _ := s.LocalFactsAfter(ctx, 0, 10); len(all) != 3 || all[0].HubSeq != 0 {
		t.Fatalf("own facts after reset: %+v", all)
	}
	if e, n, _ := s.Cursor(ctx); e != "ep2" || n != 0 {
		t.Fatalf("cursor after reset %s %d", e, n)
	}
}

func TestConcurrentClaimsConvergeAfterSync(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	if err := s.ResetRemote(ctx, "ep"); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Record(ctx, submission(t, "res-1"))
	if err != nil {
		t.Fatal(err)
	}
	id := sub[0].Stream
	repB := domain.Actor{Role: domain.RoleRepresentative, ID: "rep-b", Name: "测试乙"}
	mine, err := s.Record(ctx, caseEvent(t, id, domain.KindCaseAccepted, repB, nil))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Case(ctx, id); c.RepID != "rep-b" {
		t.Fatal("local claim not projected")
	}
	// the hub had rep-a's claim from another station first
	subSeq, mineSeq := sub[0], mine[0]
	subSeq.HubSeq, mineSeq.HubSeq = 10, 12
	theirs := domain.Event{ID: "claim-a", Device: "dev-k2", DevSeq: 4, Station: "HX01", Stream: id,
		Kind: domain.KindCaseAccepted, At: t0.Add(time.Minute), HubSeq: 11,
		Actor: domain.Actor{Role: domain.RoleRepresentative, ID: "rep-a", Name: "测试甲"}}
	resolution := domain.Event{ID: "co", Device: domain.HubDevice, Station: "HX01", Stream: id,
		Kind: domain.KindCaseCoHandler, At: t0.Add(2 * time.Minute), HubSeq: 13,
		Actor: domain.Actor{Role: domain.RoleSystem}, Data: js(t, domain.CaseCoHandler{RepID: "rep-b", RepName: "测试乙"})}
	if err := s.ApplyRemote(ctx, "ep", []domain.Event{subSeq, theirs, mineSeq, resolution}, 13); err != nil {
		t.Fatal(err)
	}
	c, err := s.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.RepID != "rep-a" || len(c.CoHandlers) != 1 || c.CoHandlers[0].RepID != "rep-b" {
		t.Fatalf("after sync: rep %s co %+v", c.RepID, c.CoHandlers)
	}
	evs, applied, err := s.TimelineApplied(ctx, id)
	if err != nil || len(evs) != 4 || applied[2].Effective {
		t.Fatalf("timeline %d events, applied %+v, %v", len(evs), applied, err)
	}
}

func TestOpenNotWritable(t *testing.T) {
	t.Parallel()
	_, err := Open(filepath.Join(t.TempDir(), "missing", "station.db"), nil)
	if !errors.Is(err, sqlitedb.ErrNotWritable) {
		t.Fatalf("err = %v, want ErrNotWritable", err)
	}
}

func TestCaseNumbersSkipKnownNumbers(t *testing.T) {
	t.Parallel()
	// a kiosk whose disk was replaced gets its old cases back from the hub; new numbers must
	// not collide with them
	s := newStore(t)
	ctx := context.Background()
	if err := s.ResetRemote(ctx, "ep"); err != nil {
		t.Fatal(err)
	}
	var old []domain.Event
	for i := 1; i <= 2; i++ {
		old = append(old, domain.Event{ID: fmt.Sprintf("old-%d", i), Device: "dev-k1-before", DevSeq: int64(i),
			Station: "HX01", Stream: fmt.Sprintf("case-old-%d", i), Kind: domain.KindCaseSubmitted,
			At: t0, HubSeq: int64(i), Actor: domain.Actor{Role: domain.RoleAnonymous},
			Data: js(t, domain.CaseSubmitted{Number: fmt.Sprintf("HX01-K1-20261123-%04d", i), Token: "t", Text: "测试问题", Anonymous: true})})
	}
	if err := s.ApplyRemote(ctx, "ep", old, 2); err != nil {
		t.Fatal(err)
	}
	stored, err := s.Record(ctx, submission(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Case(ctx, stored[0].Stream)
	if c.Number != "HX01-K1-20261123-0003" {
		t.Fatalf("new number %s collides or skips wrongly", c.Number)
	}
}
