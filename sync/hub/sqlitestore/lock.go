package sqlitestore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// LockFile is the file in the data directory that a serving hub holds locked (flock), so a
// restore can tell that the directory is in use. The command-line tools do not take it: they
// share the database with the server through SQLite's own locking.
const LockFile = "hub.lock"

// ErrLocked means another process holds the data directory's lock: a hub serves it.
var ErrLocked = errors.New("data directory in use by a running hub")

// Lock takes the data directory's lock without waiting. The lock ends with release or with
// the process, so a crashed hub never leaves a stale lock behind.
func Lock(dir string) (release func(), err error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s", ErrLocked, dir)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}
