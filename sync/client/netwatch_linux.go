package client

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"
)

// watchNetwork calls changed whenever the kernel reports a link, address or route change, until
// ctx ends. A station whose cable is plugged back in or whose Wi-Fi rejoins then retries at
// once instead of sleeping out its back-off. What changed is not parsed: any change is worth one
// early retry, and the client's own back-off still spaces retries that fail.
func watchNetwork(ctx context.Context, changed func()) error {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return fmt.Errorf("open netlink socket: %w", err)
	}
	groups := uint32(unix.RTMGRP_LINK | unix.RTMGRP_IPV4_IFADDR | unix.RTMGRP_IPV6_IFADDR |
		unix.RTMGRP_IPV4_ROUTE | unix.RTMGRP_IPV6_ROUTE)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		return fmt.Errorf("bind netlink socket: %w", err)
	}
	// A receive timeout lets the loop notice ctx without closing the descriptor under a
	// blocked read.
	tv := unix.Timeval{Sec: 1}
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		unix.Close(fd)
		return fmt.Errorf("set netlink timeout: %w", err)
	}
	defer unix.Close(fd)
	buf := make([]byte, 16<<10)
	for ctx.Err() == nil {
		n, _, err := unix.Recvfrom(fd, buf, 0)
		switch {
		case err == unix.EAGAIN || err == unix.EINTR:
			continue
		case err == unix.ENOBUFS:
			changed() // the kernel dropped messages: something changed all the same
		case err != nil:
			return fmt.Errorf("read netlink: %w", err)
		case n > 0:
			changed()
		}
	}
	return nil
}
