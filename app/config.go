package app

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	// Kiosks are not guaranteed a tz database; the station's zone must load everywhere.
	_ "time/tzdata"
)

// ConfigFile is the name of the settings file inside the data directory.
const ConfigFile = "config.json"

// Defaults.
const (
	DefaultIdleSeconds = 60
	DefaultReaderBaud  = 115200
	DefaultScannerBaud = 9600
	// DefaultTimeZone is the zone every deployment so far runs in; the hub's pages and
	// deadlines use China Standard Time, so stations should keep it.
	DefaultTimeZone = "Asia/Shanghai"
)

// Config is the station's settings. The same settings live in config.json in the data
// directory; flags given on the command line override the file and are written back to it,
// so a technician's choice survives a restart.
type Config struct {
	DataDir     string `json:"-"`
	Role        string `json:"role"`         // kiosk | wall
	Name        string `json:"name"`         // this device's name (e.g. 一楼大厅), sent when pairing; "" keeps the hub's
	HubURL      string `json:"hub_url"`      // e.g. http://127.0.0.1:8480
	Reader      string `json:"reader"`       // serial path, "sim", or "" for none
	ReaderBaud  int    `json:"reader_baud"`  // 115200 by default
	Scanner     string `json:"scanner"`      // serial path, "sim", or "" for none
	ScannerBaud int    `json:"scanner_baud"` // 9600 by default
	Demo        bool   `json:"demo"`
	Fullscreen  bool   `json:"fullscreen"`
	IdleSeconds int    `json:"idle_seconds"`
	Locale      string `json:"locale"`
	TimeZone    string `json:"time_zone"`     // IANA name; every time on screen is shown in it
	TechPINHash string `json:"tech_pin_hash"` // see pin.go; empty means the default PIN
}

// Launch holds what a start-up asks for beyond the settings.
type Launch struct {
	Headless bool   // run the core without a window
	PairCode string // enrol with the hub, then continue
	TechPIN  string // set a new technician PIN
}

// DefaultConfig returns the settings of a fresh kiosk.
func DefaultConfig(dataDir string) Config {
	return Config{
		DataDir:     dataDir,
		Role:        "kiosk",
		ReaderBaud:  DefaultReaderBaud,
		ScannerBaud: DefaultScannerBaud,
		IdleSeconds: DefaultIdleSeconds,
		Locale:      "zh-CN",
		TimeZone:    DefaultTimeZone,
	}
}

// ParseFlags reads the command line over the config file of the chosen data directory.
func ParseFlags(args []string, stderr io.Writer) (Config, Launch, error) {
	fs := flag.NewFlagSet("liaison-station", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", defaultDataDir(), "data directory (store, config, logs)")
	role := fs.String("role", "", "screen role: kiosk or wall")
	hub := fs.String("hub", "", "hub URL, e.g. http://hub.example:8480")
	reader := fs.String("reader", "", "ID-card reader serial port, or sim")
	readerBaud := fs.Int("reader-baud", 0, "ID-card reader speed")
	scanner := fs.String("scanner", "", "QR scanner serial port, or sim")
	scannerBaud := fs.Int("scanner-baud", 0, "QR scanner speed")
	demo := fs.Bool("demo", false, "demo mode: shows the simulated card control")
	full := fs.Bool("fullscreen", false, "full screen without decorations")
	idle := fs.Int("idle", 0, "seconds without a touch before the kiosk session ends")
	tz := fs.String("tz", "", "the station's time zone (IANA name, e.g. Asia/Shanghai)")
	var l Launch
	fs.BoolVar(&l.Headless, "headless", false, "run the core without a window")
	fs.StringVar(&l.PairCode, "pair", "", "one-time pairing code from the hub")
	fs.StringVar(&l.TechPIN, "set-tech-pin", "", "set the technician PIN (4-8 digits)")
	// Development builds of the window read these themselves; accept them here too, but keep
	// them out of the usage a technician reads.
	for _, name := range devFlags {
		fs.String(name, "", "development build only")
	}
	fs.Usage = func() { usage(fs) }
	if err := fs.Parse(args); err != nil {
		return Config{}, Launch{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, Launch{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg, err := LoadConfig(*data)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax) || errors.As(err, &typ):
		return Config{}, Launch{}, err
	case err != nil:
		// An unreadable data directory is not a command-line mistake: start with the defaults
		// so the window can say what is wrong (the store cannot open there either).
		cfg = DefaultConfig(*data)
	}
	// The flags given on the command line win over the file.
	overrides := map[string]func(){
		"role":         func() { cfg.Role = *role },
		"hub":          func() { cfg.HubURL = strings.TrimRight(*hub, "/") },
		"reader":       func() { cfg.Reader = *reader },
		"reader-baud":  func() { cfg.ReaderBaud = *readerBaud },
		"scanner":      func() { cfg.Scanner = *scanner },
		"scanner-baud": func() { cfg.ScannerBaud = *scannerBaud },
		"demo":         func() { cfg.Demo = *demo },
		"fullscreen":   func() { cfg.Fullscreen = *full },
		"idle":         func() { cfg.IdleSeconds = *idle },
		"tz":           func() { cfg.TimeZone = *tz },
	}
	fs.Visit(func(f *flag.Flag) {
		if apply := overrides[f.Name]; apply != nil {
			apply()
		}
	})
	return cfg, l, cfg.Validate()
}

// devFlags are read by development builds of the window only.
var devFlags = []string{"assetdir", "devserver", "frontenddevserverurl", "loglevel"}

// usage lists the subcommands and the flags a technician may use.
func usage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, `Usage:
  liaison-station [flags]          run the station: the kiosk or the wall screen
  liaison-station device COMMAND   technician commands without a window (ports, reader, scanner);
                                   liaison-station device help lists them
  liaison-station version          print the version

Flags:
`)
	public := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	public.SetOutput(w)
	fs.VisitAll(func(f *flag.Flag) {
		for _, d := range devFlags {
			if f.Name == d {
				return
			}
		}
		public.Var(f.Value, f.Name, f.Usage)
	})
	public.PrintDefaults()
}

// Validate checks the settings.
func (c Config) Validate() error {
	if c.Role != "kiosk" && c.Role != "wall" {
		return fmt.Errorf("role %q: must be kiosk or wall", c.Role)
	}
	if c.IdleSeconds < 10 || c.IdleSeconds > 3600 {
		return fmt.Errorf("idle %d s: must be between 10 and 3600", c.IdleSeconds)
	}
	if c.HubURL != "" && !strings.HasPrefix(c.HubURL, "http://") && !strings.HasPrefix(c.HubURL, "https://") {
		return fmt.Errorf("hub %q: must start with http:// or https://", c.HubURL)
	}
	if _, err := c.Location(); err != nil {
		return err
	}
	return nil
}

// Location is the station's time zone: what "today" is for duty and case numbers, and the
// zone every screen shows times in.
func (c Config) Location() (*time.Location, error) {
	// LoadLocation reads "" and "UTC" as UTC and "Local" as the machine's zone; a station
	// must name its zone so it does not follow whatever the machine is set to.
	if c.TimeZone == "" || c.TimeZone == "Local" {
		return nil, fmt.Errorf("time zone %q: must be an IANA name such as %s", c.TimeZone, DefaultTimeZone)
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", c.TimeZone, err)
	}
	return loc, nil
}

// LoadConfig reads config.json from dir; a missing file gives the defaults.
func LoadConfig(dir string) (Config, error) {
	cfg := DefaultConfig(dir)
	b, err := os.ReadFile(filepath.Join(dir, ConfigFile))
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("read config: %w", err)
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return cfg, fmt.Errorf("parse %s: %w", filepath.Join(dir, ConfigFile), err)
	}
	cfg.DataDir = dir
	return cfg, nil
}

// Save writes config.json atomically.
func (c Config) Save() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(c.DataDir, ConfigFile+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(c.DataDir, ConfigFile)); err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	return nil
}

func defaultDataDir() string {
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "liaison-station")
	}
	return "liaison-station-data"
}
