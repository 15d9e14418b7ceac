// Command liaison-hub runs the district hub: the sync endpoint for the stations, the staff
// API, the residents' status pages and the metrics; its subcommands work on the same data
// directory while the server runs (SQLite in WAL mode lets them).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"liaison/sync/hub/console"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
	"liaison/sync/pgdb"
)

// version is set at build time: -ldflags "-X main.version=1.0.0".
var version = "dev"

// LogFile is the JSON log in the data directory.
const LogFile = "hub.log"

// MediaDir is the directory of the representatives' photos in the data directory.
const MediaDir = "media"

// DefaultData is the data directory when neither --data nor LIAISON_HUB_DATA is given.
const DefaultData = "liaison-hub-data"

const usage = `liaison-hub — district hub of the liaison stations

usage:
  liaison-hub [serve] [--listen ADDR] [--data DIR] [--db postgres://…] [--seed-demo] [--public-url URL]
  liaison-hub station add --code C --name N [--address A] [--communities a,b,c] --user LOGIN
  liaison-hub device add --station S --role kiosk|wall [--name N]
  liaison-hub device list
  liaison-hub device revoke ID --user LOGIN
  liaison-hub seed [--seed N]
  liaison-hub case list [--state S] [--station S]
  liaison-hub case show NUMBER
  liaison-hub case act NUMBER ACTION --user LOGIN [--note T] [--reply T] [--rep ID]
                       [--rep-name N] [--dept CODE] [--due RFC3339] [--into NUMBER] [--as department]
  liaison-hub badge issue --rep ID [--until YYYY-MM-DD] [--payload-only]
  liaison-hub badge revoke SERIAL [--reason R] --user LOGIN
  liaison-hub badge list
  liaison-hub badge sheet [--pdf FILE.pdf] [SERIAL…]
  liaison-hub user add LOGIN --role admin|staff|department|representative|display [--dept CODE] [--node CODE]
                       [--rep ID] [--name 显示名] --password-stdin
  liaison-hub user list
  liaison-hub user disable LOGIN
  liaison-hub user password LOGIN --password-stdin
  liaison-hub token create --user LOGIN   print a new personal API token (shown once)
  liaison-hub import KIND FILE --user LOGIN [--dry-run]   KIND: station, department,
                       representative, duty_roster; FILE: .xlsx or .csv; all rows or none
  liaison-hub import KIND --template [FILE]   write the kind's XLSX template
  liaison-hub calendar show YEAR          the working days deadlines count: holidays, make-up days
  liaison-hub calendar holiday add|remove DATE [NAME] --user LOGIN
  liaison-hub calendar workday add|remove DATE [NAME] --user LOGIN   a weekend day worked (调休上班)
  liaison-hub ref list KIND [--json] [--station S]   reference data: org_node, station, community,
                       representative, department, category, activity, project, duty_roster,
                       words, calendar
  liaison-hub ref put KIND FILE.json|- --user LOGIN   write items (one, or a JSON array as
                       list --json prints); all or nothing, unchanged items skipped
  liaison-hub ref retire|restore KIND KEY --user LOGIN   hide an item from pickers (or show it again)
  liaison-hub ref photo REP_ID FILE --user LOGIN   a representative's photo (JPEG or PNG, up
                       to 8 MB), resized by the hub to 480 px and stored in DIR/media/reps
  liaison-hub ref qr REP_ID --public-url URL [--png FILE.png]   the representative's
                       扫码找代表 QR (URL/r/REP_ID, as serve's --public-url), 480 px
  liaison-hub duty copy-week --station S --from YYYY-MM-DD --to YYYY-MM-DD --user LOGIN   copy a
                       station's duty days of the week from Monday FROM to the week from Monday TO
  liaison-hub quarantine list [--device ID] [--code C]   facts refused at ingest, with the reason
  liaison-hub verify       check the event log's hash chain
  liaison-hub backup DIR [--keep N]   write a verified archive while the hub serves
  liaison-hub restore FILE            put an archive back (the hub must be stopped); new epoch
  liaison-hub epoch new --db postgres://…   a new epoch after a PostgreSQL restore (no hub running)
  liaison-hub rebuild      recompute the case and reference projections from the log
  liaison-hub update keygen FILE       new update key: FILE (private, keep off the hub), FILE.pub
  liaison-hub update sign --key FILE --version V [--arch A] PKG.deb   writes PKG.deb.sig
  liaison-hub update trust FILE.pub    the key whose packages this hub accepts and serves
  liaison-hub update publish PKG.deb PKG.deb.sig   verify and serve a station update
  liaison-hub version

Every command takes --data DIR (default $LIAISON_HUB_DATA or ./liaison-hub-data), and
--db postgres://… (default $LIAISON_HUB_DB) for a PostgreSQL database that several hubs
share; DIR then holds only the log, the photos and the station updates of this hub.
The commands that write take --user LOGIN, the account acting (its person is recorded):
admins for station, calendar, import and ref; admins and staff to revoke a device or a badge.
ACTION is one of: `

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env carries what every command needs; main builds it and passes it down.
type env struct {
	in          io.Reader
	out, errOut io.Writer
	data        string
	db          string // a PostgreSQL database's address (--db), or "" for the data directory's SQLite
	log         *slog.Logger
	closeLog    func()
}

// run dispatches a command line and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	e := &env{in: stdin, out: stdout, errOut: stderr}
	var err error
	switch cmd {
	case "serve":
		err = e.serve(ctx, args)
	case "station":
		err = e.station(ctx, args)
	case "device":
		err = e.device(ctx, args)
	case "seed":
		err = e.seed(ctx, args)
	case "case":
		err = e.cases(ctx, args)
	case "badge":
		err = e.badge(ctx, args)
	case "user":
		err = e.user(ctx, args)
	case "quarantine":
		err = e.quarantine(ctx, args)
	case "import":
		err = e.importRef(ctx, args)
	case "calendar":
		err = e.calendar(ctx, args)
	case "duty":
		err = e.duty(ctx, args)
	case "ref":
		err = e.ref(ctx, args)
	case "token":
		err = e.token(ctx, args)
	case "verify":
		err = e.verify(ctx, args)
	case "rebuild":
		err = e.rebuild(ctx, args)
	case "update":
		err = e.update(ctx, args)
	case "backup":
		err = e.backup(ctx, args)
	case "restore":
		err = e.restore(ctx, args)
	case "epoch":
		err = e.epoch(ctx, args)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "liaison-hub", versionString())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage+strings.Join(console.Actions(), " ")+"\n")
		return 0
	default:
		err = fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
	if e.closeLog != nil {
		defer e.closeLog()
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errRefused):
		return 1
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "liaison-hub: %v\n\n%s%s\n", err, usage, strings.Join(console.Actions(), " "))
		return 2
	default:
		if e.log != nil {
			e.log.Error(err.Error())
		} else {
			fmt.Fprintln(stderr, "liaison-hub:", err)
		}
		return 1
	}
}

var errUsage = errors.New("usage")

func versionString() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

// flags makes a flag set with the shared --data flag.
func (e *env) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.errOut)
	def := os.Getenv("LIAISON_HUB_DATA")
	if def == "" {
		def = DefaultData
	}
	fs.StringVar(&e.data, "data", def, "data directory")
	fs.StringVar(&e.db, "db", os.Getenv("LIAISON_HUB_DB"),
		"PostgreSQL database postgres://… that several hubs share (default $LIAISON_HUB_DB); without it the data directory's SQLite")
	return fs
}

// parse parses flags and positional arguments in any order and returns the positionals.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %v", errUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// mediaDir is the data directory's MediaDir.
func (e *env) mediaDir() string {
	return filepath.Join(e.data, MediaDir)
}

// openLog prepares the data directory and the loggers: JSON lines to LogFile in it, text to
// stderr at stderrLevel. An unusable directory is reported in one line.
func (e *env) openLog(stderrLevel slog.Level) error {
	if err := os.MkdirAll(e.data, 0o700); err != nil {
		return fmt.Errorf("data directory %s is not usable: %w", e.data, err)
	}
	f, err := os.OpenFile(filepath.Join(e.data, LogFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", e.data, err)
	}
	e.closeLog = func() { f.Close() }
	e.log = slog.New(slog.NewMultiHandler(
		slog.NewJSONHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo}),
		slog.NewTextHandler(e.errOut, &slog.HandlerOptions{Level: stderrLevel}),
	)).With("pid", os.Getpid())
	return nil
}

// open opens the store of the data directory; the loggers must be open. This is where the
// hub's engine is chosen: everything else works on the store.Store contract, except what
// only the SQLite engine has (the key files beside the database, watching other processes'
// appends).
func (e *env) open(ctx context.Context) (*sqlitestore.Store, error) {
	opt := sqlitestore.Options{Now: time.Now, Log: e.log.With("component", "hubstore")}
	if e.db != "" {
		if !pgdb.IsDSN(e.db) {
			return nil, fmt.Errorf("%w: --db takes a PostgreSQL address postgres://user@host:port/database, not %q", errUsage, e.db)
		}
		st, err := sqlitestore.OpenPostgres(ctx, e.db, opt)
		if err != nil {
			return nil, fmt.Errorf("open database %s: %w", redactDSN(e.db), err)
		}
		return st, nil
	}
	st, err := sqlitestore.Open(ctx, e.data, opt)
	if err != nil {
		return nil, fmt.Errorf("open data directory %s: %w", e.data, err)
	}
	return st, nil
}

// redactDSN is a database address fit for a message: its password hidden.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unreadable address)"
	}
	return u.Redacted()
}

// prepare parses a subcommand's flags, opens the logs (warnings only on stderr, so output
// stays clean) and the store.
func (e *env) prepare(ctx context.Context, fs *flag.FlagSet, args []string) ([]string, store.Store, error) {
	pos, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return nil, nil, err
	}
	return pos, st, nil
}

// prepareEngine is prepare for the commands that need the engine itself.
func (e *env) prepareEngine(ctx context.Context, fs *flag.FlagSet, args []string) ([]string, *sqlitestore.Store, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	if err := e.openLog(slog.LevelWarn); err != nil {
		return nil, nil, err
	}
	st, err := e.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	return pos, st, nil
}
