// Package console is the hub's web console for the street's staff and the departments: personal
// accounts with argon2id passwords, server-side sessions with CSRF tokens, personal API
// tokens, login throttling, the case desk (inbox, detail, actions), 问题清单 exports, the
// monthly report, a live event stream, and the console's single-page app. The API is
// described in docs/console.md.
package console

import (
	"context"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hotword"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
	"liaison/sync/text"
	"liaison/sync/update"
)

// Defaults of Config.
const (
	DefaultIdleTimeout     = 30 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
	// DefaultStaffUnit is the unit shown after the name of staff and admins.
	DefaultStaffUnit = "街道人大工委"
	// CookieName is the session cookie.
	CookieName = "liaison_session"
	// CSRFHeader carries the session's CSRF token on every unsafe request made with the cookie.
	CSRFHeader = "X-CSRF-Token"
	maxBody    = 64 << 10
)

// Store is what the console needs from the hub store (sync/hub/sqlitestore implements it).
type Store interface {
	CreateUser(ctx context.Context, u store.User) error
	User(ctx context.Context, login string) (store.User, error)
	Users(ctx context.Context) ([]store.User, error)
	DisableUser(ctx context.Context, login string) error
	SetPassword(ctx context.Context, login, hash string, keep []byte) error
	CreateSession(ctx context.Context, s store.Session) error
	SessionUser(ctx context.Context, hash []byte) (store.Session, store.User, error)
	TouchSession(ctx context.Context, hash []byte, t time.Time) error
	DeleteSession(ctx context.Context, hash []byte) error
	DeleteSessionsBefore(ctx context.Context, idle, absolute time.Time) (int64, error)
	CreateToken(ctx context.Context, hash []byte, login string, created time.Time) error
	TokenUser(ctx context.Context, hash []byte) (store.User, error)

	Department(ctx context.Context, code string) (domain.Department, error)
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
	// Rules are the lifecycle rules with the reference data's calendar and category deadlines.
	Rules(ctx context.Context) (domain.Rules, error)
	PutRefs(ctx context.Context, writes []store.RefWrite, actor domain.Actor) (store.RefResult, error)

	Case(ctx context.Context, id string) (domain.Case, error)
	CaseByNumber(ctx context.Context, number string) (domain.Case, error)
	StreamEvents(ctx context.Context, stream string) ([]domain.Event, error)
	Desk(ctx context.Context, f store.DeskFilter) (store.DeskPage, error)
	BoardCounts(ctx context.Context, now time.Time) (map[string]domain.Tally, error)
	ActVersion(ctx context.Context, caseID string, version int, kind domain.Kind, actor domain.Actor, payload any) (domain.Event, error)
	RevealContact(ctx context.Context, caseID string, actor domain.Actor) (string, error)
	CaseChanges(ctx context.Context, after int64, limit int) ([]domain.Case, int64, error)
	Subscribe() (<-chan int64, func())
	LastSeq(ctx context.Context) (int64, error)

	DeviceStore
	BadgeStore
	RefAdminStore
	RecordStore
	RepLoginStore
	DutySwapStore
	RepActivityStore
}

// Config configures the console. Zero values pick the defaults.
type Config struct {
	PublicURL string // the hub's public URL: status links, and Secure cookies when https
	Now       func() time.Time
	StaffUnit string // DefaultStaffUnit when empty
	// Argon are the parameters new password hashes are made with; DefaultArgon when zero.
	Argon           ArgonParams
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// Assets is the built frontend (console.html and assets/), served at /console/; nil
	// serves a page saying the console was not built.
	Assets fs.FS
	// Heartbeat is how often the event stream sends a keep-alive comment; 25 s when zero.
	Heartbeat time.Duration
	// EndSession, when set, ends the live sync session of a device the console revoked (or
	// revoked to pair again) at once, rather than at the server's next look at the revoked
	// devices; wsserver.Server.Revoke.
	EndSession func(device string) bool
	// MediaDir is where uploaded media are kept (representatives' photos under reps/); photo
	// uploads are refused when it is empty, and the badge sheet prints no photos.
	MediaDir string
	// Updates is the hub's repository of station updates, which admins publish to; nil when
	// the hub trusts no update key.
	Updates *update.Repo
	// Notify is the hub's notifier, whose channels admins configure; nil answers its API
	// 404 (sync/hub/notify.Notifier).
	Notify Notifications
	// HotWords loads the segmenter of the monthly report's hot topics; hotword.NewEmbedded
	// when nil.
	HotWords func() (*hotword.Tokenizer, error)
	// HotWordsWait is how long a report waits for that segmenter to load before it answers
	// with its hot topics pending; 15 s when zero.
	HotWordsWait time.Duration
}

// Console serves the console's API and app.
type Console struct {
	cfg      Config
	st       Store
	log      *slog.Logger
	accounts *Accounts
	throttle *Throttle
	hot      *hotWords
	// boardCache is the latest reading of the stations' figures (board.go).
	boardCache boardCache
}

// New builds the console over a store.
func New(cfg Config, st Store, log *slog.Logger) *Console {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.StaffUnit == "" {
		cfg.StaffUnit = DefaultStaffUnit
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.AbsoluteTimeout <= 0 {
		cfg.AbsoluteTimeout = DefaultAbsoluteTimeout
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 25 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.HotWords == nil {
		cfg.HotWords = hotword.NewEmbedded
	}
	if cfg.HotWordsWait <= 0 {
		cfg.HotWordsWait = 15 * time.Second
	}
	return &Console{cfg: cfg, st: st, log: log, hot: &hotWords{load: cfg.HotWords, wait: cfg.HotWordsWait},
		accounts: NewAccounts(st, cfg.Argon, cfg.Now, cfg.StaffUnit),
		throttle: NewThrottle(ThrottleConfig{Now: cfg.Now})}
}

// Mount adds the console's routes to mux.
func (c *Console) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/login", c.login)
	mux.HandleFunc("POST /api/v1/rep/ticket", c.repTicketLogin)
	mux.Handle("POST /api/v1/logout", c.authed(signedIn, c.logout))
	mux.Handle("GET /api/v1/me", c.authed(signedIn, c.me))
	mux.Handle("POST /api/v1/me/password", c.authed(signedIn, c.changePassword))

	mux.Handle("GET /api/v1/users", c.authed(adminOnly, c.listUsers))
	mux.Handle("POST /api/v1/users", c.authed(adminOnly, c.createUser))
	mux.Handle("POST /api/v1/users/{login}/disable", c.authed(adminOnly, c.disableUser))
	mux.Handle("POST /api/v1/users/{login}/password", c.authed(adminOnly, c.resetPassword))

	mux.Handle("GET /api/v1/admin/calendar", c.authed(adminOnly, c.getCalendar))
	mux.Handle("GET /api/v1/admin/updates", c.authed(adminOnly, c.listUpdates))
	mux.Handle("POST /api/v1/admin/updates", c.authed(adminOnly, c.publishUpdate))
	mux.Handle("PUT /api/v1/admin/calendar/{year}", c.authed(adminOnly, c.putCalendar))
	mux.Handle("GET /api/v1/ref", c.authed(anyRole, c.ref))
	mux.Handle("GET /api/v1/cases", c.authed(anyRole, c.listCases))
	mux.Handle("GET /api/v1/cases/export.xlsx", c.authed(anyRole, c.exportXLSX))
	mux.Handle("GET /api/v1/cases/export.csv", c.authed(anyRole, c.exportCSV))
	mux.Handle("GET /api/v1/cases/{id}", c.authed(anyRole, c.getCase))
	mux.Handle("POST /api/v1/cases/{id}/{action}", c.authed(anyRole, c.act))
	mux.Handle("POST /api/v1/cases/{id}/contact", c.authed(deskRoles, c.revealContact))
	mux.Handle("POST /api/v1/cases/bulk/assign", c.authed(deskRoles, c.bulkAssign))
	mux.Handle("GET /api/v1/reports/monthly", c.authed(deskRoles, c.monthly))
	mux.Handle("GET /api/v1/board", c.authed(boardRoles, c.board))
	mux.Handle("GET /api/v1/events/stream", c.authed(anyRole, c.stream))
	c.mountDevices(mux)
	c.mountImport(mux)
	c.mountBadges(mux)
	c.mountRefAdmin(mux)
	c.mountDutySwaps(mux)
	c.mountReview(mux)
	c.mountNotify(mux)
	c.mountRecord(mux)

	c.mountRep(mux)

	mux.Handle("GET /console/", spaHandler(c.cfg.Assets, consoleHTML))
	mux.Handle("GET "+fontsCSSPath, fontsCSS(c.cfg.Assets))
	mux.Handle("GET /console", http.RedirectHandler("/console/", http.StatusMovedPermanently))
	// the representatives' phone workspace
	mux.Handle("GET /m/", spaHandler(c.cfg.Assets, repHTML))
	mux.Handle("GET /m", http.RedirectHandler("/m/", http.StatusMovedPermanently))
}

// RequireStaff lets through requests of staff and admins (session or API token) and answers
// the others 401 or 403; the handler finds the person with ActorFrom. The hub's other staff
// endpoints (devices, pairing codes, badges, duty) use it.
func (c *Console) RequireStaff(h http.Handler) http.Handler {
	return c.authed(deskRoles, func(w http.ResponseWriter, r *http.Request, p *principal) {
		h.ServeHTTP(w, r)
	})
}

// ExpireSessions removes the sessions that have expired: housekeeping, since an expired
// session is refused when presented anyway.
func (c *Console) ExpireSessions(ctx context.Context) (int64, error) {
	now := c.cfg.Now()
	return c.st.DeleteSessionsBefore(ctx, now.Add(-c.cfg.IdleTimeout), now.Add(-c.cfg.AbsoluteTimeout))
}

// Accounts returns the console's account service (the command line uses the same).
func (c *Console) Accounts() *Accounts { return c.accounts }

// APIError is the body of every error answer.
type APIError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Reason  string            `json:"reason,omitempty"` // a refused action's registered reason
	Params  map[string]string `json:"params,omitempty"`
}

// writeError answers status with a registered code (sync/domain), its parameters as
// key/value pairs, and its message from the zh-CN catalogue (sync/text). The console and the
// phone workspace word the code from their own catalogues and show the message only for a
// code they do not know.
func writeError(w http.ResponseWriter, status int, code string, kv ...string) {
	e := domain.NewError(code, kv...)
	codeError(w, status, e.Code, e.Params)
}

// codeError is writeError with the parameters as a map.
func codeError(w http.ResponseWriter, status int, code string, params map[string]string) {
	httpjson.Write(w, status, APIError{Code: code, Message: text.Message(text.ZhCN, code, params), Params: params})
}

// internal logs err and answers 500 without details.
func (c *Console) internal(w http.ResponseWriter, r *http.Request, err error) {
	c.log.Error("console request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, domain.CodeInternal)
}

// decodeBody reads a request's JSON body, at most maxBody bytes of it.
func decodeBody(r *http.Request, v any) error { return httpjson.Decode(r, v, maxBody) }

// location is the stations' zone, for days and months.
func (c *Console) location() *time.Location {
	if loc := c.rules(context.Background()).Location; loc != nil {
		return loc
	}
	return domain.DefaultRules().Location
}

// rules are the lifecycle rules deadlines are computed with: the store's, which count the
// calendar and the categories' deadlines of the reference data. A store that cannot read them
// gives its base rules, which are still working-day rules over the shipped calendar.
func (c *Console) rules(ctx context.Context) domain.Rules {
	r, err := c.st.Rules(ctx)
	if err != nil {
		c.log.Warn("read the lifecycle rules", "err", err)
	}
	if r.IsZero() {
		return domain.DefaultRules()
	}
	return r
}

// secureCookies reports whether the hub is reached over https.
func (c *Console) secureCookies() bool {
	return strings.HasPrefix(strings.ToLower(c.cfg.PublicURL), "https://")
}
