package sqlitestore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"liaison/internal/clocktest"
	"liaison/sync/domain"
)

// Uploads that wait together share a transaction; when one of them fails, the others still
// land (each in its own transaction) and the failing one leaves nothing behind.
func TestGroupCommitIsolatesAFailingUpload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := open(t, t.TempDir(), clocktest.New(t0))
	defer s.Close()
	addStation(t, s, "HX01")
	before, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	// Hold the write lock so every upload below queues, and the first group holds them all.
	s.wmu.Lock()
	const uploads = 12
	var wg sync.WaitGroup
	errs := make([]error, uploads)
	runs := make([]int, uploads)
	for i := range uploads {
		wg.Go(func() {
			errs[i] = s.writeGrouped(ctx, 1, func(a *appender) error {
				runs[i]++
				if _, err := a.appendHub(domain.Event{Stream: fmt.Sprintf("note:%d", i), Kind: "test.note",
					Station: "HX01", At: t0, Actor: hubActor}); err != nil {
					return err
				}
				if i == 5 {
					return boom
				}
				return nil
			})
		})
	}
	for {
		s.group.mu.Lock()
		n := len(s.group.queue)
		s.group.mu.Unlock()
		if n == uploads {
			break
		}
	}
	s.wmu.Unlock()
	wg.Wait()
	for i, err := range errs {
		if (i == 5) != errors.Is(err, boom) {
			t.Fatalf("upload %d: %v", i, err)
		}
		// in the group (those queued before the failing one, and it), then each alone
		if runs[i] < 1 || runs[i] > 2 || (i == 5 && runs[i] != 2) {
			t.Errorf("upload %d ran %d times", i, runs[i])
		}
	}
	last, err := s.LastSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last-before != uploads-1 {
		t.Fatalf("%d events appended, want %d", last-before, uploads-1)
	}
	evs, err := s.EventsAfter(ctx, "HX01", before, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Stream == "note:5" {
			t.Fatal("the failed upload's event is in the log")
		}
	}
	if err := s.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}
