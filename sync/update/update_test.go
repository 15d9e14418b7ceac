package update

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var signedAt = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// release writes a package file and signs it with a fresh key kept in dir.
func release(t *testing.T, dir, keyName, version, content string) (deb string, sig []byte) {
	t.Helper()
	keyPath := filepath.Join(dir, keyName)
	if _, err := os.Stat(keyPath); err != nil {
		if _, err := GenerateKey(keyPath); err != nil {
			t.Fatal(err)
		}
	}
	key, err := ReadPrivateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	deb = filepath.Join(dir, "liaison-station_"+version+".deb")
	if err := os.WriteFile(deb, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sig, err = Sign(key, deb, "liaison-station", version, "amd64", signedAt)
	if err != nil {
		t.Fatal(err)
	}
	return deb, sig
}

func trusted(t *testing.T, dir, keyName string) Repo {
	t.Helper()
	pub, err := ReadPublicKey(filepath.Join(dir, keyName+".pub"))
	if err != nil {
		t.Fatal(err)
	}
	return Repo{Dir: filepath.Join(dir, "repo"), Trusted: pub}
}

func TestVerifyAcceptsGoodPackageAndRefusesTampering(t *testing.T) {
	dir := t.TempDir()
	deb, sig := release(t, dir, "good.key", "1.2.0", "package bytes")
	repo := trusted(t, dir, "good.key")
	m, err := Verify(repo.Trusted, deb, sig)
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != "1.2.0" || m.Arch != "amd64" || m.Size != int64(len("package bytes")) || !m.Signed.Equal(signedAt) {
		t.Fatalf("manifest %+v", m)
	}

	// One byte of the package changed.
	if err := os.WriteFile(deb, []byte("package bytez"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(repo.Trusted, deb, sig); !errors.Is(err, ErrDigest) {
		t.Fatalf("tampered package: %v", err)
	}

	// The manifest edited to claim another version.
	deb, sig = release(t, dir, "good.key", "1.2.0", "package bytes")
	edited := []byte(string(sig))
	i := indexOf(edited, "1.2.0")
	edited[i+2] = '9'
	if _, err := Verify(repo.Trusted, deb, edited); !errors.Is(err, ErrSignature) {
		t.Fatalf("edited manifest: %v", err)
	}

	// Signed with a key the station does not trust.
	deb, sig = release(t, dir, "other.key", "1.3.0", "package bytes")
	if _, err := Verify(repo.Trusted, deb, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("wrong key: %v", err)
	}
}

func indexOf(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if string(b[i:i+len(s)]) == s {
			return i
		}
	}
	panic("not found: " + s)
}

func TestRepoPublishesOnlyNewerVerifiedVersions(t *testing.T) {
	dir := t.TempDir()
	deb, sig := release(t, dir, "good.key", "1.2.0", "v1.2.0")
	repo := trusted(t, dir, "good.key")
	if _, err := repo.Latest("amd64"); !errors.Is(err, ErrNone) {
		t.Fatalf("empty repo: %v", err)
	}
	if _, err := repo.Publish(deb, sig); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"1.2.0", "1.1.9"} {
		deb, sig := release(t, dir, "good.key", v, "v"+v)
		if _, err := repo.Publish(deb, sig); !errors.Is(err, ErrNotNewer) {
			t.Fatalf("%s after 1.2.0: %v", v, err)
		}
	}
	deb, sig = release(t, dir, "other.key", "9.0.0", "evil")
	if _, err := repo.Publish(deb, sig); !errors.Is(err, ErrSignature) {
		t.Fatalf("foreign key: %v", err)
	}
	deb, sig = release(t, dir, "good.key", "1.10.0", "v1.10.0")
	if _, err := repo.Publish(deb, sig); err != nil {
		t.Fatal(err)
	}
	m, err := repo.Latest("amd64")
	if err != nil || m.Version != "1.10.0" {
		t.Fatalf("latest %+v %v", m, err)
	}
	if b, err := os.ReadFile(repo.Path(m)); err != nil || string(b) != "v1.10.0" {
		t.Fatalf("served package %q %v", b, err)
	}
	if _, err := repo.Latest("arm64"); !errors.Is(err, ErrNone) {
		t.Fatalf("other arch: %v", err)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"1.2.0", "1.2", 0}, {"1.10.0", "1.9.9", 1}, {"0.9", "1.0", -1}, {"2", "2.0.0.1", -1}} {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("%s vs %s: %d, want %d", c.a, c.b, got, c.want)
		}
	}
	if ValidVersion("1.2.0-rc1") || !ValidVersion("1.2.0") {
		t.Error("version syntax")
	}
}

func TestGenerateKeyRefusesToOverwrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "update.key")
	if _, err := GenerateKey(p); err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateKey(p); err == nil {
		t.Fatal("second keygen overwrote the private key")
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v %v", fi.Mode(), err)
	}
}

func TestServedIsTheLatestOfEachArchitecture(t *testing.T) {
	dir := t.TempDir()
	deb, sig := release(t, dir, "good.key", "1.2.0", "v1.2.0")
	repo := trusted(t, dir, "good.key")
	if served, err := repo.Served(); err != nil || len(served) != 0 {
		t.Fatalf("nothing published yet: %+v %v", served, err)
	}
	if _, err := repo.Publish(deb, sig); err != nil {
		t.Fatal(err)
	}
	deb, sig = release(t, dir, "good.key", "1.3.0", "v1.3.0")
	if _, err := repo.Publish(deb, sig); err != nil {
		t.Fatal(err)
	}
	key, err := ReadPrivateKey(filepath.Join(dir, "good.key"))
	if err != nil {
		t.Fatal(err)
	}
	arm := filepath.Join(dir, "arm.deb")
	if err := os.WriteFile(arm, []byte("arm 1.1.0"), 0o644); err != nil {
		t.Fatal(err)
	}
	armSig, err := Sign(key, arm, "liaison-station", "1.1.0", "arm64", signedAt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Publish(arm, armSig); err != nil {
		t.Fatal(err)
	}
	// A directory whose package was signed with another key serves nothing.
	_, foreign := release(t, dir, "other.key", "9.0.0", "evil")
	if err := os.MkdirAll(filepath.Join(repo.Dir, "riscv64"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo.Dir, "riscv64", "liaison-station_9.0.0_amd64.deb.sig"), foreign, 0o644); err != nil {
		t.Fatal(err)
	}
	served, err := repo.Served()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range served {
		got = append(got, m.Arch+" "+m.Version)
	}
	if len(got) != 2 || got[0] != "amd64 1.3.0" || got[1] != "arm64 1.1.0" {
		t.Fatalf("served %v", got)
	}
}
