package client

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"
)

// A link appearing is a network change the watcher reports. Creating a link needs
// CAP_NET_ADMIN; without it the test has nothing to observe and skips.
func TestWatchNetworkSeesLinkChange(t *testing.T) {
	ip, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("no ip command")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changed := make(chan struct{}, 16)
	done := make(chan error, 1)
	go func() {
		done <- watchNetwork(ctx, func() {
			select {
			case changed <- struct{}{}:
			default:
			}
		})
	}()
	name := fmt.Sprintf("lstest%d", os.Getpid()%100000)
	// The watcher may not be bound yet when the first link appears: add and remove until it
	// reports, within a deadline.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if out, err := exec.Command(ip, "link", "add", name, "type", "dummy").CombinedOutput(); err != nil {
			t.Skipf("cannot create a dummy link here: %v: %s", err, out)
		}
		_ = exec.Command(ip, "link", "del", name).Run()
		select {
		case <-changed:
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("watcher: %v", err)
			}
			return
		case err := <-done:
			t.Fatalf("watcher ended early: %v", err)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no change reported for a link added and removed")
		}
	}
}
