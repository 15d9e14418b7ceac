package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/app"
	"liaison/sync/domain"
)

// A data directory that cannot be used still gives a station: its window shows that the
// store failed instead of the process exiting, and its services answer store_failed.
func TestBuildWithUnusableDataDirectory(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, launch, err := app.ParseFlags([]string{"--data", file, "--role", "wall"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st, err := build(t.Context(), cfg, launch, slog.New(slog.DiscardHandler), app.NewLogRing(10), time.Now)
	if err == nil || st == nil {
		t.Fatalf("station %v, err %v", st, err)
	}
	defer st.close()
	st.start(t.Context())
	if s := st.services.System.Status(); s.Store.OK || s.Store.Error == "" {
		t.Fatalf("store status %+v", s.Store)
	}
	if _, err := st.services.Kiosk.Categories(); app.AsError(err).Code != domain.CodeStoreUnavailable {
		t.Fatalf("categories: %v", err)
	}
	if _, err := st.services.Wall.Board(); app.AsError(err).Code != domain.CodeStoreUnavailable {
		t.Fatalf("board: %v", err)
	}
}

// The station's clock reaches the services and the store: a case submitted at the kiosk is
// numbered by the day of the configured clock, and a fact recorded without a time gets the
// clock's time from the store.
func TestBuildHandsTheClockToTheStore(t *testing.T) {
	t.Parallel()
	cfg := app.DefaultConfig(t.TempDir())
	day := time.Date(2031, 5, 17, 10, 0, 0, 0, time.UTC)
	st, err := build(t.Context(), cfg, app.Launch{}, slog.New(slog.DiscardHandler), app.NewLogRing(10),
		func() time.Time { return day })
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	for k, v := range map[string]string{"station": "HX01", "device_code": "K1"} {
		if err := st.store.SetMeta(t.Context(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.store.ResetRemote(t.Context(), "e"); err != nil {
		t.Fatal(err)
	}
	cat, _ := json.Marshal(domain.Category{Code: "env", Name: "环境卫生"})
	ref := domain.Event{ID: domain.NewEventID(), Device: domain.HubDevice, DevSeq: 1, Stream: "env",
		Kind: domain.KindCategoryUpserted, At: day, Actor: domain.Actor{Role: domain.RoleStaff}, Data: cat, HubSeq: 1}
	if err := st.store.ApplyRemote(t.Context(), "e", []domain.Event{ref}, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := st.services.Kiosk.StartAnonymous(); err != nil {
		t.Fatal(err)
	}
	rc, err := st.services.Kiosk.SubmitCase(app.CaseInput{Category: "env", Text: "路灯坏了很久了"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "HX01-K1-20310517-"; len(rc.Number) < len(want) || rc.Number[:len(want)] != want {
		t.Fatalf("case number %q, want the clock's day %s…", rc.Number, want)
	}
	if rc.SubmittedAt != day.Format(time.RFC3339) {
		t.Fatalf("submitted at %s, want %s", rc.SubmittedAt, day.Format(time.RFC3339))
	}
	untimed := domain.Event{Kind: domain.KindCaseSubmitted, Actor: domain.Actor{Role: domain.RoleAnonymous},
		Data: json.RawMessage(`{"category":"env","text":"楼道灯不亮了","anonymous":true}`)}
	stored, err := st.store.Record(t.Context(), untimed)
	if err != nil {
		t.Fatal(err)
	}
	if !stored[0].At.Equal(day) {
		t.Fatalf("store recorded the fact at %s, want the clock's %s", stored[0].At, day)
	}
	// The sync client of an enrolment reads the same clock (its state's time, retries, beats).
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	c := st.bg.NewSync(app.Identity{DeviceID: "k1", Key: key, HubURL: "http://127.0.0.1:1"})
	if since := c.Status().Since; !since.Equal(day) {
		t.Fatalf("sync client state since %s, want the clock's %s", since, day)
	}
}

// The station's store decides "today" in the configured zone, and Info tells the frontend the
// same zone, so Go and the screens agree whatever the machine's zone.
func TestBuildUsesTheStationZone(t *testing.T) {
	t.Parallel()
	cfg, _, err := app.ParseFlags([]string{"--data", t.TempDir(), "--tz", "Asia/Urumqi"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st, err := build(t.Context(), cfg, app.Launch{}, slog.New(slog.DiscardHandler), app.NewLogRing(10), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer st.close()
	if got := st.store.Location().String(); got != "Asia/Urumqi" {
		t.Fatalf("store zone %s", got)
	}
	if info := st.services.System.Info(); info.TimeZone != "Asia/Urumqi" {
		t.Fatalf("Info zone %s", info.TimeZone)
	}
}

// The watchdog's check: a station whose store never opened stays healthy (its window says
// why, a restart would not help); one whose open store stops answering is not.
func TestStationHealthForTheWatchdog(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	broken, _ := build(t.Context(), app.DefaultConfig(file), app.Launch{}, slog.New(slog.DiscardHandler), app.NewLogRing(10), time.Now)
	defer broken.close()
	if err := broken.healthy(t.Context()); err != nil {
		t.Fatalf("station without a store: %v", err)
	}
	st, err := build(t.Context(), app.DefaultConfig(t.TempDir()), app.Launch{}, slog.New(slog.DiscardHandler), app.NewLogRing(10), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.healthy(t.Context()); err != nil {
		t.Fatalf("working station: %v", err)
	}
	if err := st.store.Close(); err != nil {
		t.Fatal(err)
	}
	if err := st.healthy(t.Context()); err == nil {
		t.Fatal("a closed store passed the check")
	}
	st.store = nil // closed above
}
