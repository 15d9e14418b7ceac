//go:build unix

package app

import "golang.org/x/sys/unix"

// diskSpace tells the bytes free (to an unprivileged writer) and in all on the file system
// that holds dir; zeros when it cannot tell.
func diskSpace(dir string) (free, total uint64) {
	var st unix.Statfs_t
	if dir == "" || unix.Statfs(dir, &st) != nil {
		return 0, 0
	}
	return st.Bavail * uint64(st.Bsize), st.Blocks * uint64(st.Bsize)
}
