package console_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/update"
)

// publish posts a package and its signature the way the console would.
func (c *client) publish(t *testing.T, pkg, sig []byte) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if pkg != nil {
		fw, _ := mw.CreateFormFile("package", "liaison-station.deb")
		fw.Write(pkg)
	}
	if sig != nil {
		fw, _ := mw.CreateFormFile("signature", "liaison-station.deb.sig")
		fw.Write(sig)
	}
	resp, b := c.postMultipart(t, "/api/v1/admin/updates", &body, mw, true)
	return resp.StatusCode, b
}

func signed(t *testing.T, key ed25519.PrivateKey, version, content string) ([]byte, []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pkg.deb")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	sig, err := update.Sign(key, p, "liaison-station", version, "amd64", t0)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(content), sig
}

func TestAdminPublishesOnlyVerifiedNewerUpdates(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, stranger, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	repo := &update.Repo{Dir: filepath.Join(t.TempDir(), "updates"), Trusted: pub}
	f := newFixtureWith(t, func(c *console.Config) { c.Updates = repo })
	admin := f.login(t, "admin")

	pkg, sig := signed(t, key, "1.5.0", "package 1.5.0")
	if code, _ := f.login(t, "wangzr").publish(t, pkg, sig); code != http.StatusForbidden {
		t.Fatalf("staff published: %d", code)
	}
	for _, c := range []struct {
		pkg, sig []byte
		status   int
		code     string
	}{
		{pkg, nil, http.StatusBadRequest, domain.CodeUpdateFileMissing},
		{nil, sig, http.StatusBadRequest, domain.CodeUpdateFileMissing},
		{[]byte("package 1.5.X"), sig, http.StatusUnprocessableEntity, domain.CodeUpdateDigest},
		{pkg, []byte("{}"), http.StatusUnprocessableEntity, domain.CodeUpdateSignature},
	} {
		status, body := admin.publish(t, c.pkg, c.sig)
		if status != c.status || errorCode(t, body) != c.code {
			t.Fatalf("want %d %s, got %d %s", c.status, c.code, status, body)
		}
	}
	spkg, ssig := signed(t, stranger, "9.0.0", "foreign")
	if status, body := admin.publish(t, spkg, ssig); status != http.StatusUnprocessableEntity || errorCode(t, body) != domain.CodeUpdateSignature {
		t.Fatalf("foreign key: %d %s", status, body)
	}
	status, body := admin.publish(t, pkg, sig)
	var pu console.PublishedUpdate
	if status != http.StatusCreated || json.Unmarshal(body, &pu) != nil || pu.Version != "1.5.0" || pu.Size != int64(len(pkg)) {
		t.Fatalf("publish: %d %s", status, body)
	}
	opkg, osig := signed(t, key, "1.4.9", "older")
	status, body = admin.publish(t, opkg, osig)
	if status != http.StatusConflict || errorCode(t, body) != domain.CodeUpdateNotNewer {
		t.Fatalf("older: %d %s", status, body)
	}
	var e console.APIError
	if json.Unmarshal(body, &e) != nil || e.Message != "版本 1.4.9 不比已发布的 1.5.0 新，更新未发布" ||
		e.Params["version"] != "1.4.9" || e.Params["latest"] != "1.5.0" {
		t.Fatalf("message %s", body)
	}
	if m, err := repo.Latest("amd64"); err != nil || m.Version != "1.5.0" {
		t.Fatalf("latest %+v %v", m, err)
	}
	resp, body := admin.do(t, http.MethodGet, "/api/v1/admin/updates", nil)
	var l console.UpdateList
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &l) != nil || !l.Enabled || len(l.Served) != 1 || l.Served[0] != pu {
		t.Fatalf("served: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.login(t, "wangzr").do(t, http.MethodGet, "/api/v1/admin/updates", nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("staff listed updates: %d", resp.StatusCode)
	}
	if left, _ := filepath.Glob(filepath.Join(repo.Dir, "*.part")); len(left) != 0 {
		t.Fatalf("uploads left behind: %v", left)
	}
}

func TestPublishWithoutTrustedKeyIsOff(t *testing.T) {
	f := newFixture(t)
	status, body := f.login(t, "admin").publish(t, []byte("x"), []byte("{}"))
	if status != http.StatusConflict || errorCode(t, body) != domain.CodeUpdatesOff {
		t.Fatalf("%d %s", status, body)
	}
	resp, body := f.login(t, "admin").do(t, http.MethodGet, "/api/v1/admin/updates", nil)
	if resp.StatusCode != http.StatusOK || string(bytes.TrimSpace(body)) != `{"enabled":false,"served":[]}` {
		t.Fatalf("list when off: %d %s", resp.StatusCode, body)
	}
}
