package synctest

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
	"liaison/sync/faultnet"
	"liaison/sync/hub/backup"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/wsserver"
)

// restartableHub is a hub whose process can be stopped and started again on the same data
// directory; clients dial whichever network the running instance listens on.
type restartableHub struct {
	t   *testing.T
	dir string
	hs  *sqlitestore.Store
	h   *hubUnderTest
	cur atomic.Pointer[faultnet.Network]
}

func (r *restartableHub) start() {
	r.t.Helper()
	hs, err := sqlitestore.Open(context.Background(), r.dir, sqlitestore.Options{})
	if err != nil {
		r.t.Fatalf("open hub store: %v", err)
	}
	nw := faultnet.New(nil)
	r.hs, r.h = hs, startHub(r.t, hs, nw, wsserver.Config{PingInterval: 200 * time.Millisecond, PongWait: time.Second})
	r.cur.Store(nw)
}

// startRestartableHub starts a hub in base/hub with the given stations registered.
func startRestartableHub(t *testing.T, base string, codes ...string) *restartableHub {
	t.Helper()
	r := &restartableHub{t: t, dir: filepath.Join(base, "hub")}
	if err := os.Mkdir(r.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	r.start()
	for _, code := range codes {
		if _, err := r.hs.UpsertStation(context.Background(), domain.Station{Code: code, Name: "测试站" + code}, staff); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// connect starts each station's client against the hub, through the hub's current network.
func (r *restartableHub) connect(sts []*station) {
	for _, st := range sts {
		cfg := fastClient(st.id, r.h.url, nil)
		cfg.NetDial = r.dial
		st.start(cfg)
	}
}

func (r *restartableHub) stop() {
	r.h.stop()
	if err := r.hs.Close(); err != nil {
		r.t.Fatalf("close hub store: %v", err)
	}
}

func (r *restartableHub) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	return r.cur.Load().Dial(ctx, network, addr)
}

// copyDB copies the hub's database (closed, so the WAL is folded in) and its keys, not the
// high-water mark, as an operator's backup of a stopped hub would.
func copyDB(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == sqlitestore.HighWaterFile {
			continue
		}
		src, err := os.Open(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		dst, err := os.OpenFile(filepath.Join(to, e.Name()), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		src.Close()
		if err := dst.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestHubRestoredFromOlderCopy: the hub's database is put back from a copy taken earlier.
// The hub re-rolls its epoch; every station notices, re-uploads the facts the copy lacks
// (from the welcome's last_dev_seq), forgets what it learned from the old epoch, downloads
// again, and ends holding exactly the hub's scope, with every fact at the hub exactly once.
func TestHubRestoredFromOlderCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	r := startRestartableHub(t, base, "HX01", "HX02")
	sts := []*station{realStation(t, r.hs, base, "HX01"), realStation(t, r.hs, base, "HX01"), realStation(t, r.hs, base, "HX02")}
	r.connect(sts)
	defer func() {
		for _, st := range sts {
			st.stop(t)
		}
	}()
	n := 0
	write := func(k int) {
		for i := 0; i < k; i++ {
			if err := submit(sts[n%len(sts)], n); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	waitConverged := func(what string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			ok, why := converged(ctx, r.hs, sts)
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no convergence: %s", what, why)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	write(9)
	waitConverged("before the copy")

	// The backup: stop the hub, copy its files, start it again.
	backup := filepath.Join(base, "backup")
	if err := os.Mkdir(backup, 0o700); err != nil {
		t.Fatal(err)
	}
	r.stop()
	copyDB(t, r.dir, backup)
	r.start()
	oldEpoch := r.hs.Epoch()

	// Facts and staff actions the copy will not have.
	write(9)
	caseID := caseIDOf(sts[0].id + "-case-0")
	if _, err := r.hs.Act(ctx, caseID, domain.KindCaseSupervised, staff, domain.CaseNote{Note: "测试督办"}); err != nil {
		t.Fatalf("supervise: %v", err)
	}
	r.h.srv.Notify(mustLastSeq(t, r.hs))
	waitConverged("after more facts")
	if c, err := sts[0].store.(*store.Store).Case(ctx, caseID); err != nil || c.SupervisedCount != 1 {
		t.Fatalf("station did not get the staff action: %+v, %v", c, err)
	}
	lostFacts := mustLastSeq(t, r.hs)

	// Restore: stop, put the copy back (without the WAL of the newer database), start.
	r.stop()
	for _, f := range []string{sqlitestore.DBFile + "-wal", sqlitestore.DBFile + "-shm"} {
		if err := os.Remove(filepath.Join(r.dir, f)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	copyDB(t, backup, r.dir)
	write(4) // while the hub is down
	r.start()
	if r.hs.Epoch() == oldEpoch {
		t.Fatal("restored hub kept its epoch")
	}
	if seq := mustLastSeq(t, r.hs); seq >= lostFacts {
		t.Fatalf("restored log has %d events, the newer one had %d: not an older copy", seq, lostFacts)
	}
	write(4) // after it is back
	waitConverged("after the restore")

	for _, st := range sts {
		ls := st.store.(*store.Store)
		epoch, _, err := ls.Cursor(ctx)
		if err != nil || epoch != r.hs.Epoch() {
			t.Fatalf("%s cursor epoch %q, hub %q (%v)", st.id, epoch, r.hs.Epoch(), err)
		}
		if st.client.Status().Epoch != r.hs.Epoch() {
			t.Fatalf("%s status epoch %q", st.id, st.client.Status().Epoch)
		}
	}
	// The staff action lived only in the lost part of the log: the stations forgot it too.
	if c, err := sts[0].store.(*store.Store).Case(ctx, caseID); err != nil || c.SupervisedCount != 0 {
		t.Fatalf("station kept an event the restored hub lost: %+v, %v", c, err)
	}
	assertEachFactOnce(t, r.hs, sts, n)
	if err := r.hs.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}

// assertEachFactOnce checks that the hub's log holds every station fact exactly once and
// that the stations wrote want facts in all.
func assertEachFactOnce(t *testing.T, hs *sqlitestore.Store, sts []*station, want int) {
	t.Helper()
	ctx := context.Background()
	total := 0
	for _, st := range sts {
		last, err := st.store.LastLocalSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += int(last)
		evs, err := scopeEvents(ctx, hs, st.code)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]int{}
		for _, e := range evs {
			if e.Device == st.id {
				seen[e.DevSeq]++
			}
		}
		for seq := int64(1); seq <= last; seq++ {
			if seen[seq] != 1 {
				t.Fatalf("%s fact %d is at the hub %d times", st.id, seq, seen[seq])
			}
		}
		if len(seen) != int(last) {
			t.Fatalf("%s: hub holds %d distinct facts, station wrote %d", st.id, len(seen), last)
		}
	}
	if total != want {
		t.Fatalf("stations hold %d facts, %d were written", total, want)
	}
	if want == 0 {
		t.Fatal(fmt.Sprint("no facts written"))
	}
}

// TestBackupUnderIngestRestored: a backup archive is taken while stations keep uploading,
// more facts arrive after it, then the hub is restored from the archive. The restored hub
// has a new epoch and an intact chain, and every station resyncs through the epoch rule:
// each fact written anywhere is at the hub exactly once again.
func TestBackupUnderIngestRestored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	r := startRestartableHub(t, base, "HX01", "HX02")
	sts := []*station{realStation(t, r.hs, base, "HX01"), realStation(t, r.hs, base, "HX02")}
	r.connect(sts)
	defer func() {
		for _, st := range sts {
			st.stop(t)
		}
	}()
	n := 0
	write := func(k int) error {
		for i := 0; i < k; i++ {
			if err := submit(sts[n%len(sts)], n); err != nil {
				return err
			}
			n++
		}
		return nil
	}
	waitConverged := func(what string) {
		t.Helper()
		eventually(t, 30*time.Second, what, func() bool { ok, _ := converged(ctx, r.hs, sts); return ok })
	}
	if err := write(6); err != nil {
		t.Fatal(err)
	}
	waitConverged("before the backup")

	// Stations keep submitting while the archive is made; uploads reach the hub meanwhile.
	done := make(chan error, 1)
	go func() { done <- write(30) }()
	c, err := backup.Create(ctx, r.hs, filepath.Join(base, "backups"), backup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waitConverged("after the backup")
	if last := mustLastSeq(t, r.hs); last <= c.Manifest.LastSeq {
		t.Fatalf("nothing reached the hub after the backup (archive %d, hub %d)", c.Manifest.LastSeq, last)
	}
	oldEpoch := r.hs.Epoch()

	r.stop()
	res, err := backup.Restore(ctx, c.Path, r.dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := write(4); err != nil { // while the hub is down
		t.Fatal(err)
	}
	r.start()
	if r.hs.Epoch() == oldEpoch || r.hs.Epoch() != res.Epoch {
		t.Fatalf("restored hub epoch %s, before %s, restore set %s", r.hs.Epoch(), oldEpoch, res.Epoch)
	}
	if err := write(4); err != nil {
		t.Fatal(err)
	}
	waitConverged("after the restore")
	for _, st := range sts {
		if st.client.Status().Epoch != r.hs.Epoch() {
			t.Fatalf("%s is on epoch %q, hub on %q", st.id, st.client.Status().Epoch, r.hs.Epoch())
		}
	}
	assertEachFactOnce(t, r.hs, sts, n)
	if err := r.hs.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}
