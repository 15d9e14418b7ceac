package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"liaison/sync/hub/sqlitestore"
)

// maxManifest bounds the manifest read from an archive.
const maxManifest = 1 << 20

// Restored is the result of Restore.
type Restored struct {
	Manifest Manifest
	// Epoch is the restored hub's new epoch.
	Epoch string
	// Replaced is the directory the data directory's previous files were moved to, empty
	// when it held none.
	Replaced string
}

// Restore puts the archive file back into the data directory dataDir (created if missing)
// and gives the database a new epoch, so every station resyncs when the hub starts. It
// refuses while a hub serves dataDir (sqlitestore.ErrLocked) and holds the lock meanwhile,
// so none can start. The archive is checked whole (manifest, SHA-256s, hash chain) before
// anything in dataDir changes; the files it replaces are moved to a replaced-TIME
// subdirectory, never deleted.
func Restore(ctx context.Context, file, dataDir string, now func() time.Time) (Restored, error) {
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return Restored{}, fmt.Errorf("restore: data directory %s: %w", dataDir, err)
	}
	release, err := sqlitestore.Lock(dataDir)
	if err != nil {
		return Restored{}, fmt.Errorf("restore: %w", err)
	}
	defer release()
	work, err := os.MkdirTemp(dataDir, ".restore-*")
	if err != nil {
		return Restored{}, fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(work)
	m, err := extract(file, work)
	if err != nil {
		return Restored{}, fmt.Errorf("restore %s: %w", file, err)
	}
	info, err := sqlitestore.VerifyCopy(ctx, filepath.Join(work, sqlitestore.DBFile))
	if err != nil {
		return Restored{}, fmt.Errorf("restore %s: %w", file, err)
	}
	if info.Epoch != m.Epoch || info.LastSeq != m.LastSeq {
		return Restored{}, fmt.Errorf("restore %s: %w: database holds epoch %s seq %d, manifest says %s seq %d",
			file, ErrBadArchive, info.Epoch, info.LastSeq, m.Epoch, m.LastSeq)
	}
	replaced, err := moveAside(dataDir, now())
	if err != nil {
		return Restored{}, fmt.Errorf("restore: %w", err)
	}
	for _, name := range Files {
		if err := os.Rename(filepath.Join(work, name), filepath.Join(dataDir, name)); err != nil {
			return Restored{}, fmt.Errorf("restore: %w", err)
		}
	}
	epoch, err := sqlitestore.NewEpoch(ctx, dataDir)
	if err != nil {
		return Restored{}, fmt.Errorf("restore: %w", err)
	}
	return Restored{Manifest: m, Epoch: epoch, Replaced: replaced}, nil
}

// extract reads the archive into dir and checks it against its manifest.
func extract(file, dir string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(file)
	if err != nil {
		return m, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return m, fmt.Errorf("%w: %v", ErrBadArchive, err)
	}
	tr := tar.NewReader(gz)
	h, err := tr.Next()
	if err != nil || h.Name != ManifestFile || h.Size > maxManifest {
		return m, fmt.Errorf("%w: no manifest first", ErrBadArchive)
	}
	if err := json.NewDecoder(io.LimitReader(tr, maxManifest)).Decode(&m); err != nil {
		return m, fmt.Errorf("%w: manifest: %v", ErrBadArchive, err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("%w: manifest format %d, this hub reads %d", ErrBadArchive, m.Format, Format)
	}
	want := map[string]File{}
	for _, mf := range m.Files {
		want[mf.Name] = mf
	}
	for _, name := range Files {
		if _, ok := want[name]; !ok {
			return m, fmt.Errorf("%w: manifest lacks %s", ErrBadArchive, name)
		}
	}
	seen := map[string]bool{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("%w: %v", ErrBadArchive, err)
		}
		mf, ok := want[h.Name]
		if !ok || seen[h.Name] || !slices.Contains(Files, h.Name) || h.Typeflag != tar.TypeReg {
			return m, fmt.Errorf("%w: unexpected entry %q", ErrBadArchive, h.Name)
		}
		seen[h.Name] = true
		if err := writeChecked(filepath.Join(dir, h.Name), tr, mf); err != nil {
			return m, err
		}
	}
	for _, name := range Files {
		if !seen[name] {
			return m, fmt.Errorf("%w: %s missing", ErrBadArchive, name)
		}
	}
	return m, nil
}

func writeChecked(path string, r io.Reader, mf File) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(r, mf.Size+1))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadArchive, mf.Name, err)
	}
	if n != mf.Size || hex.EncodeToString(h.Sum(nil)) != mf.SHA256 {
		return fmt.Errorf("%w: %s does not match its manifest entry", ErrBadArchive, mf.Name)
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

// moveAside moves the hub's files present in dataDir into a new replaced-TIME subdirectory.
func moveAside(dataDir string, now time.Time) (string, error) {
	names := append(slices.Clone(Files), sqlitestore.DBFile+"-wal", sqlitestore.DBFile+"-shm", sqlitestore.HighWaterFile)
	var present []string
	for _, name := range names {
		if _, err := os.Lstat(filepath.Join(dataDir, name)); err == nil {
			present = append(present, name)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	if len(present) == 0 {
		return "", nil
	}
	aside := filepath.Join(dataDir, "replaced-"+now.UTC().Format("20060102T150405.000Z"))
	if err := os.Mkdir(aside, 0o700); err != nil {
		return "", err
	}
	for _, name := range present {
		if err := os.Rename(filepath.Join(dataDir, name), filepath.Join(aside, name)); err != nil {
			return "", err
		}
	}
	return aside, nil
}
