package main

import (
	"crypto/ed25519"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/app"
	"liaison/sync/update"
)

func TestUpdaterOnlyWithTrustedKeyHubAndReleaseBuild(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	cfg := app.Config{DataDir: dir}
	keyFile := filepath.Join(dir, "update.pub")
	t.Setenv("LIAISON_UPDATE_KEY", keyFile)
	old := app.Version
	t.Cleanup(func() { app.Version = old })

	app.Version = "1.5.0"
	if newUpdater(cfg, "https://hub.test", log, time.Now) != nil {
		t.Fatal("updater without a trusted key")
	}
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, []byte(update.EncodePublicKey(pub)), 0o644); err != nil {
		t.Fatal(err)
	}
	if newUpdater(cfg, "https://hub.test", log, time.Now) == nil {
		t.Fatal("no updater with key, hub and a release version")
	}
	if newUpdater(cfg, "", log, time.Now) != nil {
		t.Fatal("updater without a hub")
	}
	app.Version = "dev"
	if newUpdater(cfg, "https://hub.test", log, time.Now) != nil {
		t.Fatal("a development build updates itself")
	}
}
