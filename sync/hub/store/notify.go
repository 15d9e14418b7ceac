package store

import "time"

// Notification channels and their outbox (sync/hub/notify delivers them; docs/hub.md).

// Kinds of notification channel.
const (
	ChannelDingTalk = "dingtalk" // a DingTalk group robot webhook (markdown), optionally signed
	ChannelWeCom    = "wecom"    // a WeCom group robot webhook (markdown)
	ChannelSMTP     = "smtp"     // mail to fixed recipients over SMTP
)

// Notices a channel can subscribe to.
const (
	NoticeNewCase  = "new_case" // a case was submitted in the channel's stations/communities
	NoticeDeadline = "deadline" // a case's deadline (domain.Deadline) is within the lead time
	NoticeDuty     = "duty"     // the evening before a duty shift of the channel's stations
)

// SMTP security modes.
const (
	SMTPStartTLS = "starttls" // plain connection upgraded with STARTTLS when the server offers it
	SMTPTLS      = "tls"      // implicit TLS from the first byte (port 465)
)

// NotifyChannel is one channel an admin configured. Secret is the DingTalk signing secret or
// the SMTP password; it never leaves the hub's code in full.
type NotifyChannel struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Enabled bool     `json:"enabled"`
	URL     string   `json:"url,omitempty"` // webhook address
	Notices []string `json:"notices"`
	// Stations and Communities narrow the notices to cases (and duty shifts) of these
	// stations and communities; empty means all.
	Stations    []string `json:"stations"`
	Communities []string `json:"communities"`
	LeadHours   int      `json:"lead_hours,omitempty"` // deadline notices this long before

	SMTPHost string   `json:"smtp_host,omitempty"`
	SMTPPort int      `json:"smtp_port,omitempty"`
	SMTPMode string   `json:"smtp_mode,omitempty"` // SMTPStartTLS or SMTPTLS
	SMTPUser string   `json:"smtp_user,omitempty"`
	MailFrom string   `json:"mail_from,omitempty"`
	MailTo   []string `json:"mail_to,omitempty"`

	Secret  string    `json:"-"`
	Created time.Time `json:"-"`
	Updated time.Time `json:"-"`
}

// Notice is one message for one channel. Key names what it is about (a case and stage, a
// shift, a test) and is unique per channel, so a notice is enqueued at most once.
type Notice struct {
	Channel int64
	Key     string
	Kind    string // a Notice* constant
	Title   string
	Body    string // markdown
	Link    string
}

// Outbox states.
const (
	OutboxPending = "pending" // waiting for its first or next attempt
	OutboxSent    = "sent"
	OutboxDead    = "dead" // given up after the last attempt; LastError says why
)

// OutboxItem is a notice in the outbox with its delivery state.
type OutboxItem struct {
	ID int64
	Notice
	State     string
	Attempts  int
	NextAt    time.Time // when a pending notice is tried next
	LastError string
	Created   time.Time
	SentAt    time.Time // zero until sent
}
