package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/backup"
	"liaison/sync/hub/sqlitestore"
)

var staff = domain.Actor{Role: domain.RoleStaff, ID: "s1", Name: "测试员"}

func openHub(t testing.TB, dir string) *sqlitestore.Store {
	t.Helper()
	st, err := sqlitestore.Open(context.Background(), dir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// newHub makes the hub folder base/hub and opens a fresh hub in it.
func newHub(t testing.TB, base string) (string, *sqlitestore.Store) {
	t.Helper()
	hubDir := filepath.Join(base, "hub")
	if err := os.Mkdir(hubDir, 0o700); err != nil {
		t.Fatal(err)
	}
	return hubDir, openHub(t, hubDir)
}

func write(t testing.TB, st *sqlitestore.Store, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if _, err := st.UpsertStation(context.Background(), domain.Station{Code: fmt.Sprintf("HX%02d", i%7), Name: fmt.Sprintf("测试站%d", i)}, staff); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBackupDuringWrites: archives taken while another goroutine keeps appending each hold a
// verified chain and one consistent cut of the log; a restore brings exactly that cut back
// under a new epoch, with the keys, and the restored hub opens and keeps its chain.
func TestBackupDuringWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	_, st := newHub(t, base)
	write(t, st, 0, 50)

	var stop atomic.Bool
	var wg sync.WaitGroup
	var writeErr error
	wg.Go(func() {
		for i := 1000; !stop.Load(); i++ {
			if _, err := st.UpsertStation(ctx, domain.Station{Code: "HX99", Name: fmt.Sprintf("并发%d", i)}, staff); err != nil {
				writeErr = err
				return
			}
		}
	})
	var made []backup.Created
	for i := 0; i < 3; i++ {
		before, _ := st.LastSeq(ctx)
		c, err := backup.Create(ctx, st, filepath.Join(base, "backups"), backup.Options{HubVersion: "test",
			Now: func() time.Time { return time.Date(2026, 3, 1, 10, 0, i, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		after, _ := st.LastSeq(ctx)
		if c.Manifest.LastSeq < before || c.Manifest.LastSeq > after {
			t.Fatalf("backup %d holds seq %d, the log went from %d to %d meanwhile", i, c.Manifest.LastSeq, before, after)
		}
		made = append(made, c)
	}
	stop.Store(true)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("writes during the backup: %v", writeErr)
	}
	if made[2].Manifest.LastSeq <= made[0].Manifest.LastSeq {
		t.Fatalf("the log did not grow while backing up: %d, %d", made[0].Manifest.LastSeq, made[2].Manifest.LastSeq)
	}
	epoch := st.Epoch()
	signKey := st.Keys().SignPublicKey()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	target := filepath.Join(base, "restored")
	r, err := backup.Restore(ctx, made[1].Path, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Manifest.Epoch != epoch || r.Epoch == epoch || r.Replaced != "" {
		t.Fatalf("restore: %+v, hub epoch %s", r, epoch)
	}
	got := openHub(t, target)
	defer got.Close()
	if got.Epoch() != r.Epoch {
		t.Fatalf("restored hub opened with epoch %s, restore set %s", got.Epoch(), r.Epoch)
	}
	if last, _ := got.LastSeq(ctx); last != made[1].Manifest.LastSeq {
		t.Fatalf("restored log ends at %d, archive at %d", last, made[1].Manifest.LastSeq)
	}
	if err := got.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Keys().SignPublicKey(), signKey) {
		t.Fatal("restored hub has other keys")
	}
	// The restored hub writes on after the copy's last event.
	write(t, got, 0, 3)
	if err := got.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRefusesWhileServedAndKeepsOldFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	hubDir, st := newHub(t, base)
	write(t, st, 0, 5)
	c, err := backup.Create(ctx, st, filepath.Join(base, "b"), backup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write(t, st, 5, 5)
	release, err := sqlitestore.Lock(hubDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(ctx, c.Path, hubDir, nil); !errors.Is(err, sqlitestore.ErrLocked) {
		t.Fatalf("restore under a serving hub: %v", err)
	}
	release()
	st.Close()
	r, err := backup.Restore(ctx, c.Path, hubDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Replaced == "" {
		t.Fatal("old files not kept")
	}
	old := openHub(t, r.Replaced)
	defer old.Close()
	if last, _ := old.LastSeq(ctx); last != 10 {
		t.Fatalf("the replaced database holds %d events, want 10", last)
	}
	got := openHub(t, hubDir)
	defer got.Close()
	if last, _ := got.LastSeq(ctx); last != 5 {
		t.Fatalf("restored %d events, want 5", last)
	}
}

// rewrite copies an archive, letting change alter each entry's content.
func rewrite(t *testing.T, from, to string, change func(name string, b []byte) []byte) {
	t.Helper()
	f, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		b = change(h.Name, b)
		h.Size = int64(len(b))
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	if err := os.WriteFile(to, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRefusesDamagedArchives(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	st := openHub(t, base)
	write(t, st, 0, 5)
	c, err := backup.Create(ctx, st, filepath.Join(base, "b"), backup.Options{})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(name string, b []byte) []byte
	}{
		{"key changed", func(name string, b []byte) []byte {
			if name == sqlitestore.SignKeyFile {
				b[0] ^= 1
			}
			return b
		}},
		{"manifest format", func(name string, b []byte) []byte {
			if name == backup.ManifestFile {
				return bytes.Replace(b, []byte(`"format": 1`), []byte(`"format": 9`), 1)
			}
			return b
		}},
		{"database truncated", func(name string, b []byte) []byte {
			if name == sqlitestore.DBFile {
				return b[:len(b)/2]
			}
			return b
		}},
	}
	for _, tc := range cases {
		bad := filepath.Join(base, "bad.tar.gz")
		rewrite(t, c.Path, bad, tc.change)
		target := filepath.Join(base, "target-"+tc.name)
		if _, err := backup.Restore(ctx, bad, target, nil); !errors.Is(err, backup.ErrBadArchive) {
			t.Errorf("%s: restore gave %v", tc.name, err)
		}
		if _, err := os.Stat(filepath.Join(target, sqlitestore.DBFile)); err == nil {
			t.Errorf("%s: a database was put in place", tc.name)
		}
	}
}

func TestPruneKeepsNewest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := t.TempDir()
	st := openHub(t, base)
	defer st.Close()
	dir := filepath.Join(base, "b")
	var paths []string
	for i := 0; i < 4; i++ {
		write(t, st, i, 1)
		c, err := backup.Create(ctx, st, dir, backup.Options{Now: func() time.Time { return time.Date(2026, 1, 1+i, 3, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, c.Path)
	}
	removed, err := backup.Prune(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	left, _ := backup.List(dir)
	if fmt.Sprint(removed) != fmt.Sprint(paths[:2]) || fmt.Sprint(left) != fmt.Sprint(paths[2:]) {
		t.Fatalf("removed %v, left %v", removed, left)
	}
}
