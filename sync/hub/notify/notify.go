// Package notify tells the street's staff and representatives what needs them, through the
// channels a street office has: DingTalk and WeCom group robots (webhooks) and SMTP mail. It
// reads what happened after it was committed (the log, the desk's deadlines, the duty roster),
// writes notices to a durable outbox, and delivers them from a worker of its own with
// exponential back-off and jitter, so neither ingest, the sync endpoint nor the desk ever wait
// on a mail server or a webhook. See docs/hub.md.
package notify

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Defaults of Config.
const (
	DefaultMaxAttempts = 8
	DefaultBaseDelay   = 30 * time.Second
	DefaultMaxDelay    = time.Hour
	DefaultSendTimeout = 15 * time.Second
	DefaultScanEvery   = time.Minute
	DefaultLeadHours   = 4
	// DefaultDutyHour is the hour (station zone) from which the evening's duty reminders for
	// the next day go out.
	DefaultDutyHour = 18
	// MaxLeadHours bounds a channel's deadline lead time.
	MaxLeadHours = 72
	// KeepSent and KeepDead are how long sent and given-up notices stay in the outbox. No
	// notice can be planned again by then: its case event lies behind the cursor, and its
	// deadline or shift has passed.
	KeepSent = 30 * 24 * time.Hour
	KeepDead = 90 * 24 * time.Hour
	batch    = 200
)

// Store is what the notifier needs from the hub store (sync/hub/sqlitestore implements it).
type Store interface {
	NotifyChannels(ctx context.Context) ([]store.NotifyChannel, error)
	NotifyChannel(ctx context.Context, id int64) (store.NotifyChannel, error)
	SaveNotifyChannel(ctx context.Context, ch store.NotifyChannel, keepSecret bool) (store.NotifyChannel, error)
	DeleteNotifyChannel(ctx context.Context, id int64) error
	NotifyCursor(ctx context.Context, name string) (int64, bool, error)
	EnqueueNotices(ctx context.Context, notices []store.Notice, cursor string, seq int64) (int, error)
	DueNotices(ctx context.Context, now time.Time, limit int) ([]store.OutboxItem, error)
	NextNoticeAt(ctx context.Context) (time.Time, bool, error)
	ClaimNotice(ctx context.Context, id int64, next, lease time.Time) (bool, error)
	NoticeAttempted(ctx context.Context, id int64, errText string, next time.Time, dead bool) error
	RetryNotice(ctx context.Context, id int64) error
	Outbox(ctx context.Context, channel int64, limit int) ([]store.OutboxItem, error)
	PruneNotices(ctx context.Context, sent, dead time.Time) (int64, error)
	LogAfter(ctx context.Context, after int64, limit int) ([]domain.Event, error)
	CasesDueBetween(ctx context.Context, from, to time.Time) ([]domain.Case, error)

	LastSeq(ctx context.Context) (int64, error)
	Subscribe() (<-chan int64, func())
	Case(ctx context.Context, id string) (domain.Case, error)
	RefItem(ctx context.Context, kind domain.Kind, key string) (json.RawMessage, error)
	RefData(ctx context.Context, kind domain.Kind, station string) ([]json.RawMessage, error)
	Rules(ctx context.Context) (domain.Rules, error)
}

// Config configures the notifier. Zero values pick the defaults.
type Config struct {
	PublicURL string // the console links in messages point here
	Now       func() time.Time
	// MaxAttempts is how many times a notice is tried before it is kept as dead.
	MaxAttempts int
	// BaseDelay is the wait after the first failure; it doubles with each further one up to
	// MaxDelay, and the wait actually taken is drawn from its upper half (jitter).
	BaseDelay, MaxDelay time.Duration
	SendTimeout         time.Duration // one attempt at one notice
	ScanEvery           time.Duration // how often deadlines and the duty roster are looked at
	DutyHour            int           // DefaultDutyHour when zero
	HTTP                *http.Client  // webhooks; a client with SendTimeout when nil
	TLS                 *tls.Config   // SMTP's TLS (tests give their own roots); system roots when nil
	Jitter              func() float64
}

// Notifier plans and delivers notices.
type Notifier struct {
	cfg  Config
	st   Store
	log  *slog.Logger
	kick chan struct{}

	mu     sync.Mutex
	paused map[int64]time.Time // channel → no attempts before; after a failure or while disabled
}

// New builds a notifier over a store.
func New(cfg Config, st Store, log *slog.Logger) *Notifier {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.BaseDelay <= 0 {
		cfg.BaseDelay = DefaultBaseDelay
	}
	if cfg.MaxDelay <= 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = DefaultSendTimeout
	}
	if cfg.ScanEvery <= 0 {
		cfg.ScanEvery = DefaultScanEvery
	}
	if cfg.DutyHour <= 0 || cfg.DutyHour > 23 {
		cfg.DutyHour = DefaultDutyHour
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: cfg.SendTimeout}
	}
	if cfg.Jitter == nil {
		cfg.Jitter = rand.Float64
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Notifier{cfg: cfg, st: st, log: log, kick: make(chan struct{}, 1), paused: map[int64]time.Time{}}
}

// Run plans and delivers notices until ctx ends. Planning and delivery run apart, so a
// webhook that hangs delays no new notice from being written to the outbox.
func (n *Notifier) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { n.planLoop(ctx) })
	wg.Go(func() { n.deliverLoop(ctx) })
	wg.Wait()
}

// Kick wakes the deliverer: a channel was saved, a notice retried.
func (n *Notifier) Kick() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// backoff is the wait after the attempt-th failure: BaseDelay doubled per earlier failure,
// at most MaxDelay, drawn from its upper half.
func (n *Notifier) backoff(attempt int) time.Duration {
	d := n.cfg.BaseDelay
	for i := 1; i < attempt && d < n.cfg.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, n.cfg.MaxDelay)
	return d/2 + time.Duration(n.cfg.Jitter()*float64(d/2))
}

// wants reports whether ch takes notices of kind.
func wants(ch store.NotifyChannel, kind string) bool {
	if !ch.Enabled {
		return false
	}
	for _, k := range ch.Notices {
		if k == kind {
			return true
		}
	}
	return false
}

// covers reports whether ch's stations and communities include a case's (or a shift's, with
// community "").
func covers(ch store.NotifyChannel, station, community string) bool {
	if len(ch.Stations) > 0 && !contains(ch.Stations, station) {
		return false
	}
	if community != "" && len(ch.Communities) > 0 && !contains(ch.Communities, community) {
		return false
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func leadOf(ch store.NotifyChannel) time.Duration {
	h := ch.LeadHours
	if h <= 0 {
		h = DefaultLeadHours
	}
	return time.Duration(h) * time.Hour
}
