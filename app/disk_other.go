//go:build !unix

package app

// diskSpace cannot tell the free space on this system: the heartbeat leaves it out.
func diskSpace(string) (free, total uint64) { return 0, 0 }
