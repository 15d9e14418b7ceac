package update_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"liaison/sync/update"
	"liaison/sync/update/debtest"
)

func TestControlReadsThePackagesFields(t *testing.T) {
	dir := t.TempDir()
	deb := filepath.Join(dir, "p.deb")
	debtest.Write(t, deb, "liaison-station", "1.5.0", "amd64", "odd")
	c, err := update.Control(deb)
	if err != nil || c["Package"] != "liaison-station" || c["Version"] != "1.5.0" || c["Architecture"] != "amd64" {
		t.Fatalf("control %v %v", c, err)
	}
	if err := update.CheckControl(deb, "liaison-station", "1.5.0", "amd64"); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][3]string{{"liaison-hub", "1.5.0", "amd64"}, {"liaison-station", "1.5.1", "amd64"}, {"liaison-station", "1.5.0", "arm64"}} {
		if err := update.CheckControl(deb, c[0], c[1], c[2]); !errors.Is(err, update.ErrManifest) {
			t.Fatalf("%v: %v", c, err)
		}
	}
	// dpkg-deb reads the package the same way, where it is installed.
	if _, err := exec.LookPath("dpkg-deb"); err == nil {
		out, err := exec.Command("dpkg-deb", "--field", deb, "Version").Output()
		if err != nil || string(out) != "1.5.0\n" {
			t.Fatalf("dpkg-deb: %q %v", out, err)
		}
	}
	notDeb := filepath.Join(dir, "x.deb")
	if err := os.WriteFile(notDeb, []byte("package"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := update.Control(notDeb); !errors.Is(err, update.ErrControl) {
		t.Fatalf("not a package: %v", err)
	}
}
