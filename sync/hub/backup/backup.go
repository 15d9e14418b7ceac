// Package backup makes and restores archives of a hub's data directory: a consistent copy of
// the database taken while the hub serves (SQLite's VACUUM INTO), the hub's keys, and a
// manifest with the epoch, the last log seq and a SHA-256 of every file. The copy's hash
// chain is verified before the archive is written and again before it is restored.
//
// Archives are gzip-compressed tar files named liaison-hub-YYYYMMDDTHHMMSS.mmmZ-seqN.tar.gz (UTC),
// so their names sort by age.
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
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"liaison/sync/hub/sqlitestore"
)

// Format is the manifest's format number; Restore refuses others.
const Format = 1

// ManifestFile is the manifest's name inside an archive.
const ManifestFile = "manifest.json"

const (
	namePrefix = "liaison-hub-"
	nameSuffix = ".tar.gz"
)

// Files is what an archive holds besides the manifest: the database copy and the keys.
var Files = []string{sqlitestore.DBFile, sqlitestore.SignKeyFile, sqlitestore.BoxKeyFile, sqlitestore.ResidentKeyFile}

// ErrBadArchive means an archive is not one this package wrote, or it was changed since.
var ErrBadArchive = errors.New("not a usable hub backup")

// Manifest describes an archive.
type Manifest struct {
	Format     int       `json:"format"`
	HubVersion string    `json:"hub_version"`
	Created    time.Time `json:"created"`
	Epoch      string    `json:"epoch"`
	LastSeq    int64     `json:"last_seq"`
	Files      []File    `json:"files"`
}

// File is one archived file.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Source is the running hub's store as a backup needs it.
type Source interface {
	CopyTo(ctx context.Context, path string) error
	Dir() string
}

// Options configure Create.
type Options struct {
	HubVersion string
	Now        func() time.Time
}

// Created is the result of Create.
type Created struct {
	Path     string
	Size     int64
	Manifest Manifest
}

// Create writes an archive of the hub into dir (created if missing) and returns it. The
// database copy is checked (hash chain, epoch) before it is archived; the archive appears
// under its final name only once complete.
func Create(ctx context.Context, src Source, dir string, opt Options) (Created, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Created{}, fmt.Errorf("backup directory %s: %w", dir, err)
	}
	// The copy is made beside the archives, not in /tmp: it is as large as the database.
	work, err := os.MkdirTemp(dir, ".backup-*")
	if err != nil {
		return Created{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)
	dbCopy := filepath.Join(work, sqlitestore.DBFile)
	if err := src.CopyTo(ctx, dbCopy); err != nil {
		return Created{}, fmt.Errorf("backup: %w", err)
	}
	info, err := sqlitestore.VerifyCopy(ctx, dbCopy)
	if err != nil {
		return Created{}, fmt.Errorf("backup: %w", err)
	}
	m := Manifest{Format: Format, HubVersion: opt.HubVersion, Created: opt.Now().UTC().Truncate(time.Millisecond),
		Epoch: info.Epoch, LastSeq: info.LastSeq}
	paths := map[string]string{sqlitestore.DBFile: dbCopy}
	for _, name := range Files[1:] {
		paths[name] = filepath.Join(src.Dir(), name)
	}
	for _, name := range Files {
		f, err := describe(name, paths[name])
		if err != nil {
			return Created{}, fmt.Errorf("backup: %w", err)
		}
		m.Files = append(m.Files, f)
	}
	final := filepath.Join(dir, fmt.Sprintf("%s%s-seq%d%s", namePrefix, m.Created.Format("20060102T150405.000Z"), m.LastSeq, nameSuffix))
	partial := filepath.Join(work, "archive"+nameSuffix)
	if err := writeArchive(partial, m, paths); err != nil {
		return Created{}, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(partial, final); err != nil {
		return Created{}, fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(final)
	if err != nil {
		return Created{}, fmt.Errorf("backup: %w", err)
	}
	return Created{Path: final, Size: st.Size(), Manifest: m}, nil
}

func describe(name, path string) (File, error) {
	f, err := os.Open(path)
	if err != nil {
		return File{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return File{}, fmt.Errorf("read %s: %w", path, err)
	}
	return File{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func writeArchive(path string, m Manifest, paths map[string]string) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	gz := gzip.NewWriter(out)
	tw := tar.NewWriter(gz)
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	mb = append(mb, '\n')
	if err := tw.WriteHeader(&tar.Header{Name: ManifestFile, Mode: 0o600, Size: int64(len(mb)), ModTime: m.Created}); err != nil {
		return err
	}
	if _, err := tw.Write(mb); err != nil {
		return err
	}
	for _, f := range m.Files {
		if err := addFile(tw, f, paths[f.Name], m.Created); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return out.Close()
}

func addFile(tw *tar.Writer, f File, path string, mod time.Time) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := tw.WriteHeader(&tar.Header{Name: f.Name, Mode: 0o600, Size: f.Size, ModTime: mod}); err != nil {
		return err
	}
	// The size was measured a moment ago; a key file that changed since fails here.
	if _, err := io.CopyN(tw, in, f.Size); err != nil {
		return fmt.Errorf("archive %s: %w", path, err)
	}
	return nil
}

// List returns the archives in dir, oldest first.
func List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasPrefix(e.Name(), namePrefix) && strings.HasSuffix(e.Name(), nameSuffix) {
			names = append(names, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(names)
	return names, nil
}

// Prune removes all but the keep newest archives of dir and returns what it removed. A keep
// below 1 removes nothing.
func Prune(dir string, keep int) ([]string, error) {
	if keep < 1 {
		return nil, nil
	}
	names, err := List(dir)
	if err != nil || len(names) <= keep {
		return nil, err
	}
	old := names[:len(names)-keep]
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return nil, fmt.Errorf("prune backups: %w", err)
		}
	}
	return old, nil
}
