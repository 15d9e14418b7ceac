package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"liaison/sync/update"
)

func TestUpdatesServesLatestVerifiedPackage(t *testing.T) {
	f := newFixture(t, false)
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "update.key")
	pub, err := update.GenerateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	key, err := update.ReadPrivateKey(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	repo := update.Repo{Dir: filepath.Join(dir, "updates"), Trusted: pub}
	srv := httptest.NewServer(New(Config{Version: "1.2.3", Updates: repo, Now: f.clk.Now}, f.store, nil, nil, nil).Handler())
	t.Cleanup(srv.Close)
	get := func(path string) (int, []byte) {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, _ := get("/api/v1/updates/latest?arch=amd64"); code != http.StatusNotFound {
		t.Fatalf("empty repository: %d", code)
	}
	deb := filepath.Join(dir, "station.deb")
	if err := os.WriteFile(deb, []byte("station 1.3.0"), 0o644); err != nil {
		t.Fatal(err)
	}
	sig, err := update.Sign(key, deb, "liaison-station", "1.3.0", "amd64", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Publish(deb, sig); err != nil {
		t.Fatal(err)
	}
	code, body := get("/api/v1/updates/latest?arch=amd64")
	if code != http.StatusOK {
		t.Fatalf("latest: %d %s", code, body)
	}
	var lu LatestUpdate
	if err := json.Unmarshal(body, &lu); err != nil {
		t.Fatal(err)
	}
	if _, err := update.VerifySignature(pub, lu.Signature); err != nil || lu.Manifest.Version != "1.3.0" {
		t.Fatalf("served signature: %v %+v", err, lu.Manifest)
	}
	code, pkg := get(lu.URL)
	if code != http.StatusOK || string(pkg) != "station 1.3.0" {
		t.Fatalf("package: %d %q", code, pkg)
	}
	if code, _ := get("/api/v1/updates/amd64/..%2Fupdate.key"); code != http.StatusNotFound {
		t.Fatalf("path outside the repository: %d", code)
	}
	if code, _ := get("/api/v1/updates/latest?arch=..%2F.."); code != http.StatusBadRequest {
		t.Fatalf("bad arch: %d", code)
	}

	// Once 1.4.0 is published, 1.3.0 is still served by version: a station running it keeps
	// it to roll back to.
	if err := os.WriteFile(deb, []byte("station 1.4.0"), 0o644); err != nil {
		t.Fatal(err)
	}
	if sig, err = update.Sign(key, deb, "liaison-station", "1.4.0", "amd64", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Publish(deb, sig); err != nil {
		t.Fatal(err)
	}
	if code, body = get("/api/v1/updates/latest?arch=amd64"); code != http.StatusOK || json.Unmarshal(body, &lu) != nil || lu.Manifest.Version != "1.4.0" {
		t.Fatalf("latest after 1.4.0: %d %s", code, body)
	}
	code, body = get("/api/v1/updates/release?arch=amd64&version=1.3.0")
	var rel LatestUpdate
	if code != http.StatusOK || json.Unmarshal(body, &rel) != nil || rel.Manifest.Version != "1.3.0" {
		t.Fatalf("release 1.3.0: %d %s", code, body)
	}
	if _, err := update.VerifySignature(pub, rel.Signature); err != nil {
		t.Fatal(err)
	}
	if code, pkg := get(rel.URL); code != http.StatusOK || string(pkg) != "station 1.3.0" {
		t.Fatalf("package 1.3.0: %d %q", code, pkg)
	}
	if code, _ := get("/api/v1/updates/release?arch=amd64&version=1.2.0"); code != http.StatusNotFound {
		t.Fatalf("never published: %d", code)
	}
	if code, _ := get("/api/v1/updates/release?arch=amd64&version=dev"); code != http.StatusBadRequest {
		t.Fatalf("not a version: %d", code)
	}
	if code, _ := get("/api/v1/updates/amd64/liaison-station_1.2.0_amd64.deb"); code != http.StatusNotFound {
		t.Fatalf("unpublished package: %d", code)
	}
}
