package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"liaison/sync/update/debtest"
)

func TestUpdateKeygenSignTrustPublish(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "hub")
	deb := filepath.Join(dir, "liaison-station_1.4.0_amd64.deb")
	debtest.Write(t, deb, "liaison-station", "1.4.0", "amd64", "1.4.0")
	if code, _, errOut := runCmd(t, "update", "publish", "--data", data, deb, deb+".sig"); code == 0 || !strings.Contains(errOut, "no trusted update key") {
		t.Fatalf("publish without a key: %d %s", code, errOut)
	}
	for _, k := range []string{"release.key", "stranger.key"} {
		if code, out, errOut := runCmd(t, "update", "keygen", filepath.Join(dir, k)); code != 0 || !strings.Contains(out, "public key") {
			t.Fatalf("keygen: %d %s %s", code, out, errOut)
		}
	}
	if code, _, errOut := runCmd(t, "update", "trust", "--data", data, filepath.Join(dir, "release.key.pub")); code != 0 {
		t.Fatalf("trust: %s", errOut)
	}
	// The signed version must be the package's own.
	if code, _, errOut := runCmd(t, "update", "sign", "--key", filepath.Join(dir, "release.key"), "--version", "1.4.1", deb); code == 0 || !strings.Contains(errOut, `Version is "1.4.0", not "1.4.1"`) {
		t.Fatalf("sign as another version: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "update", "sign", "--key", filepath.Join(dir, "stranger.key"), "--version", "1.4.0", deb); code != 0 {
		t.Fatalf("sign: %s", errOut)
	}
	if code, _, errOut := runCmd(t, "update", "publish", "--data", data, deb, deb+".sig"); code == 0 || !strings.Contains(errOut, "signature") {
		t.Fatalf("publish signed by another key: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "update", "sign", "--key", filepath.Join(dir, "release.key"), "--version", "1.4.0", deb); code != 0 {
		t.Fatalf("sign: %s", errOut)
	}
	code, out, errOut := runCmd(t, "update", "publish", "--data", data, deb, deb+".sig")
	if code != 0 || !strings.Contains(out, "published liaison-station 1.4.0 for amd64") {
		t.Fatalf("publish: %d %s %s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, UpdatesDir, "amd64", "liaison-station_1.4.0_amd64.deb")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCmd(t, "update", "publish", "--data", data, deb, deb+".sig"); code == 0 || !strings.Contains(errOut, "not newer") {
		t.Fatalf("same version again: %d %s", code, errOut)
	}
}
