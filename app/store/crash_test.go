package store

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"liaison/sync/domain"
)

const crashEnv = "LIAISON_STORE_CRASH_DB"

// TestCrashHelper is the child process of TestCrashDurability: it records submissions in a
// loop and prints each case id once Record has returned, until it is killed.
func TestCrashHelper(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("helper process for TestCrashDurability")
	}
	s, err := Open(path, nil)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(2)
	}
	ctx := context.Background()
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		evs := []domain.Event{submission(t, "res-1")}
		if i%3 == 0 { // some calls carry two facts, which must land together
			evs = append(evs, domain.Event{Kind: domain.KindReceptionLogged, Actor: resident, Data: js(t, map[string]int{"n": i})})
		}
		stored, err := s.Record(ctx, evs...)
		if err != nil {
			fmt.Fprintln(w, "ERR", err)
			w.Flush()
			os.Exit(2)
		}
		if i%5 == 4 { // the hub acknowledges now and then, as the sync client records it
			if err := s.MarkUploaded(ctx, stored[0].DevSeq-1); err != nil {
				fmt.Fprintln(w, "ERR", err)
				w.Flush()
				os.Exit(2)
			}
		}
		fmt.Fprintln(w, stored[0].Stream)
		w.Flush()
	}
}

func TestCrashDurability(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("inside the helper")
	}
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	for run := 0; run < 5; run++ {
		killAfter := 1 + rng.Intn(40)
		t.Run(fmt.Sprintf("kill after %d", killAfter), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "station.db")
			s := openAt(t, path)
			provision(t, s)
			s.Close()

			reported := runAndKill(t, path, killAfter, time.Duration(rng.Intn(3000))*time.Microsecond)
			s, err := Open(path, nil)
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer s.Close()
			checkAfterCrash(t, s, reported)
		})
	}
}

// runAndKill starts the helper, reads killAfter ids, waits a little more so the kill lands
// at an arbitrary point of the next Record, and kill -9s it. It returns every id reported.
func runAndKill(t *testing.T, path string, killAfter int, extra time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	var ids []string
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for len(ids) < killAfter && sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "ERR") {
			t.Fatalf("helper: %s", line)
		}
		if len(line) == 36 {
			ids = append(ids, line)
		}
	}
	if len(ids) < killAfter {
		t.Fatalf("helper stopped after %d ids", len(ids))
	}
	// keep reading while the kill lands, so every id the helper managed to print counts
	done := make(chan struct{})
	go func() {
		defer close(done)
		for sc.Scan() {
			if line := sc.Text(); len(line) == 36 {
				ids = append(ids, line)
			}
		}
	}()
	time.AfterFunc(extra, func() { cmd.Process.Signal(syscall.SIGKILL) })
	<-done
	cmd.Wait()
	return ids
}

func checkAfterCrash(t *testing.T, s *Store, reported []string) {
	t.Helper()
	ctx := context.Background()
	uploaded, err := s.Uploaded(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deviceID, err := s.Meta(ctx, MetaDeviceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range reported {
		c, err := s.Case(ctx, id)
		if err != nil || c.State != domain.StateSubmitted || c.Number == "" {
			t.Fatalf("reported case %s missing after crash: %+v %v", id, c, err)
		}
		tl, err := s.Timeline(ctx, id)
		if err != nil || len(tl) != 1 {
			t.Fatalf("case %s has %d events: %v", id, len(tl), err)
		}
		if tl[0].Device != deviceID || tl[0].DevSeq < 1 {
			t.Fatalf("case %s is not a fact of this device: device %s seq %d", id, tl[0].Device, tl[0].DevSeq)
		}
	}
	var integrity string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity check: %s %v", integrity, err)
	}
	// nothing half-written: sequences have no gap, every fact after the acknowledged seq is
	// pending upload, every submission has its projection, and the projection equals a fresh
	// rebuild
	var facts, maxSeq, submitted, cases int
	q := func(sql string, v *int) {
		if err := s.db.QueryRow(sql).Scan(v); err != nil {
			t.Fatal(err)
		}
	}
	q(`SELECT count(*) FROM events WHERE own = 1`, &facts)
	q(`SELECT coalesce(max(dev_seq), 0) FROM events WHERE own = 1`, &maxSeq)
	q(`SELECT count(*) FROM events WHERE kind = 'case.submitted'`, &submitted)
	q(`SELECT count(*) FROM cases`, &cases)
	pending, err := s.LocalFactsAfter(ctx, uploaded, facts+1)
	if err != nil {
		t.Fatal(err)
	}
	depth, err := s.OutboxDepth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// what the sync client uploads next is every fact after the acknowledged seq, in order
	for i, ev := range pending {
		if ev.DevSeq != uploaded+int64(i)+1 {
			t.Fatalf("pending fact %d has seq %d after uploaded %d", i, ev.DevSeq, uploaded)
		}
	}
	if uploaded < 1 && len(reported) >= 5 {
		t.Fatalf("no acknowledgement survived %d reported submissions", len(reported))
	}
	if facts != maxSeq || submitted != cases || len(pending) != facts-int(uploaded) || depth != len(pending) {
		t.Fatalf("half-written state: %d facts, max seq %d, uploaded %d, %d pending, depth %d, %d submissions, %d cases",
			facts, maxSeq, uploaded, len(pending), depth, submitted, cases)
	}
	if submitted < len(reported) {
		t.Fatalf("%d submissions stored, %d reported", submitted, len(reported))
	}
	before := dump(t, s.db)
	if err := s.RebuildProjections(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, s.db); before != after {
		t.Fatal("projections after crash differ from a rebuild")
	}
	// and the store keeps working: numbering goes on without reusing a number
	if _, err := s.Record(ctx, submission(t, "res-1")); err != nil {
		t.Fatalf("record after crash: %v", err)
	}
	var dup int
	q(`SELECT count(*) FROM (SELECT number FROM cases GROUP BY number HAVING count(*) > 1)`, &dup)
	if dup != 0 {
		t.Fatalf("%d case numbers reused after crash", dup)
	}
}
