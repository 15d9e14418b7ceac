package app

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseFlagsOverridesFileAndPersists(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg, l, err := ParseFlags([]string{"--data", dir, "--role", "wall", "--hub", "http://127.0.0.1:9/", "--headless"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Role != "wall" || cfg.HubURL != "http://127.0.0.1:9" || !l.Headless || cfg.IdleSeconds != DefaultIdleSeconds {
		t.Fatalf("unexpected config %+v launch %+v", cfg, l)
	}
	if err := cfg.Save(); err != nil {
		t.Fatal(err)
	}
	// A later start without flags keeps what was set; a flag still wins over the file.
	again, _, err := ParseFlags([]string{"--data", dir, "--idle", "90"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if again.Role != "wall" || again.HubURL != "http://127.0.0.1:9" || again.IdleSeconds != 90 {
		t.Fatalf("settings not kept: %+v", again)
	}
}

// Every setting has its flag, and each one reaches the config.
func TestParseFlagsEverySetting(t *testing.T) {
	t.Parallel()
	cfg, _, err := ParseFlags([]string{"--data", t.TempDir(), "--role", "wall", "--hub", "http://hub.test",
		"--reader", "/dev/ttyUSB1", "--reader-baud", "57600", "--scanner", "sim", "--scanner-baud", "19200",
		"--demo", "--fullscreen", "--idle", "45", "--tz", "Asia/Urumqi"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig(cfg.DataDir)
	want.Role, want.HubURL, want.Reader, want.ReaderBaud = "wall", "http://hub.test", "/dev/ttyUSB1", 57600
	want.Scanner, want.ScannerBaud, want.Demo, want.Fullscreen = "sim", 19200, true, true
	want.IdleSeconds, want.TimeZone = 45, "Asia/Urumqi"
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("config %+v, want %+v", cfg, want)
	}
}

func TestParseFlagsRejects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := map[string][]string{
		"bad role":       {"--data", dir, "--role", "tv"},
		"idle too short": {"--data", dir, "--idle", "3"},
		"hub not a URL":  {"--data", dir, "--hub", "hub.local"},
		"stray argument": {"--data", dir, "extra"},
		"unknown flag":   {"--data", dir, "--colour", "red"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			if _, _, err := ParseFlags(args, io.Discard); err == nil {
				t.Fatalf("%v accepted", args)
			}
		})
	}
}

func TestParseFlagsAcceptsDevelopmentFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, _, err := ParseFlags([]string{"-assetdir", "frontend/dist", "-devserver", "127.0.0.1:1", "--data", dir}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfigDamagedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(dir); err == nil {
		t.Fatal("damaged config accepted")
	}
}

func TestPIN(t *testing.T) {
	t.Parallel()
	if !CheckPIN("", DefaultTechPIN) || CheckPIN("", "000000") {
		t.Fatal("default PIN check wrong")
	}
	h, err := HashPIN("8642")
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPIN(h, "8642") || CheckPIN(h, "8643") || CheckPIN(h, DefaultTechPIN) {
		t.Fatal("hashed PIN check wrong")
	}
	for _, bad := range []string{"12", "123456789", "12a4"} {
		if _, err := HashPIN(bad); err == nil {
			t.Errorf("HashPIN(%q) accepted", bad)
		}
	}
	if CheckPIN("argon2id$bad", "8642") {
		t.Fatal("malformed hash accepted")
	}
}

func TestLogRingKeepsNewest(t *testing.T) {
	t.Parallel()
	r := NewLogRing(3)
	for _, m := range []string{"a", "b", "c", "d"} {
		r.add(LogLine{Message: m})
	}
	got := r.Last(10)
	if len(got) != 3 || got[0].Message != "b" || got[2].Message != "d" {
		t.Fatalf("ring = %+v", got)
	}
	if got := r.Last(1); len(got) != 1 || got[0].Message != "d" {
		t.Fatalf("Last(1) = %+v", got)
	}
}

func TestParseFlagsUnreadableDataDirectory(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "not-a-directory")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _, err := ParseFlags([]string{"--data", file, "--role", "wall"}, io.Discard)
	if err != nil || cfg.Role != "wall" {
		t.Fatalf("config %+v, %v", cfg, err)
	}
	// main then builds a station that reports the store as failed (main_test.go)
}

func TestTimeZoneSetting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg, _, err := ParseFlags([]string{"--data", dir}, io.Discard)
	if err != nil || cfg.TimeZone != DefaultTimeZone {
		t.Fatalf("default zone %q, %v", cfg.TimeZone, err)
	}
	for _, bad := range []string{"Mars/Olympus", "Local", ""} {
		if _, _, err := ParseFlags([]string{"--data", dir, "--tz", bad}, io.Discard); err == nil {
			t.Errorf("--tz %q accepted", bad)
		}
	}
	cfg, _, err = ParseFlags([]string{"--data", dir, "--tz", "Asia/Urumqi"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := PrepareDataDir(&cfg, Launch{}); err != nil { // saves the settings
		t.Fatal(err)
	}
	again, _, err := ParseFlags([]string{"--data", dir}, io.Discard)
	if err != nil || again.TimeZone != "Asia/Urumqi" {
		t.Fatalf("zone not kept: %q, %v", again.TimeZone, err)
	}
}

func TestHelpListsSubcommandsAndHidesDevelopmentFlags(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	_, _, err := ParseFlags([]string{"--help"}, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	help := out.String()
	for _, want := range []string{"liaison-station device", "liaison-station version", "-reader", "-idle", "-pair"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	for _, dev := range devFlags {
		if strings.Contains(help, "-"+dev) {
			t.Errorf("help shows the development flag -%s", dev)
		}
	}
	// still accepted: the development build passes them
	if _, _, err := ParseFlags([]string{"--data", t.TempDir(), "--devserver", "127.0.0.1:1"}, &out); err != nil {
		t.Fatalf("a development flag refused: %v", err)
	}
}
