// Package protocol is the station ⇄ hub sync wire format, version 1 (docs/sync-protocol.md):
// message types, their JSON encoding, limits, close codes and the device-auth message. It does
// no I/O beyond the io.Reader/io.Writer it is handed.
package protocol

import (
	"encoding/json"
	"time"

	"liaison/sync/domain"
)

// Version is the protocol version this package speaks.
const Version = 1

// Subprotocol is the WebSocket subprotocol name for Version.
const Subprotocol = "liaison.sync.v1"

// Limits of version 1. Both ends enforce them on what they receive.
const (
	MaxFrameBytes   = 2 << 20            // one WebSocket message
	MaxBatchFacts   = 256                // facts in one upload
	MaxPageEvents   = 2000               // events in one page
	DefaultPage     = 500                // page size a client asks for by default
	MaxEventData    = domain.MaxFactData // one event's data payload
	MaxIDBytes      = 128                // ids, device ids, station codes, epochs
	MaxHealthBytes  = 4 << 10            // one health report
	MaxMessageBytes = 1 << 10            // error messages, version strings
	NonceBytes      = 32
	// MaxHelloBytes is the read limit until the hello is verified: a hello is a device id,
	// a signature and a version string, so a stranger cannot make the hub buffer more.
	MaxHelloBytes = 2 << 10
	// MaxPageBytes bounds the events of one page by EventSize, whatever they hold: the hub
	// reads, encodes and queues no more for one page.
	MaxPageBytes = 1 << 20
)

// EventSize is an event's size for the page bound: its strings and payload and a fixed
// allowance for the field names, numbers and time of its JSON form.
func EventSize(e *domain.Event) int {
	return 160 + len(e.ID) + len(e.Device) + len(e.Station) + len(e.Stream) + len(e.Kind) +
		len(e.Actor.Role) + len(e.Actor.ID) + len(e.Actor.Name) + len(e.Data)
}

// Message types (the "t" of the envelope).
const (
	TypeChallenge = "challenge"
	TypeHello     = "hello"
	TypeWelcome   = "welcome"
	TypeUpload    = "upload"
	TypeAck       = "ack"
	TypePull      = "pull"
	TypeEvents    = "events"
	TypeHeartbeat = "heartbeat"
	TypeBeat      = "beat"
	TypeError     = "error"
)

// Error codes carried by an Error message; the session stays open.
const (
	ErrCodeSeqGap        = "seq_gap"
	ErrCodeEpochMismatch = "epoch_mismatch"
	ErrCodeBadFact       = "bad_fact"
	ErrCodeUnavailable   = "unavailable"
	// ErrCodeFactRefused: the fact at DevSeq can never be applied; the hub set it aside and
	// its position for the device is now LastDevSeq (= DevSeq). The client records the
	// refusal and continues with the next fact.
	ErrCodeFactRefused = "fact_refused"
)

// Message is one protocol message. Type names it on the wire; Validate checks the limits and
// required fields a receiver relies on.
type Message interface {
	Type() string
	Validate() error
}

// Challenge opens every session: the device must sign Nonce.
type Challenge struct {
	V       int       `json:"v"`
	Nonce   []byte    `json:"nonce"`
	HubTime time.Time `json:"hub_time"`
}

// Hello answers the challenge.
type Hello struct {
	V          int    `json:"v"`
	Device     string `json:"device"`
	Sig        []byte `json:"sig"`
	AppVersion string `json:"app_version,omitempty"`
}

// Welcome opens the session after a valid Hello.
type Welcome struct {
	Epoch      string    `json:"epoch"`
	LastSeq    int64     `json:"last_seq"`
	LastDevSeq int64     `json:"last_dev_seq"`
	Station    string    `json:"station"`
	HubTime    time.Time `json:"hub_time"`
	Heartbeat  int       `json:"heartbeat_s"`
}

// Upload carries a batch of the device's facts, ascending DevSeq.
type Upload struct {
	Batch int64          `json:"batch"`
	Facts []domain.Event `json:"facts"`
}

// Ack says a batch is durable at the hub.
type Ack struct {
	Batch      int64 `json:"batch"`
	Applied    int   `json:"applied"`
	Duplicates int   `json:"duplicates"`
	LastDevSeq int64 `json:"last_dev_seq"`
	LastSeq    int64 `json:"last_seq"`
}

// Pull asks for the next page of the scope after a cursor.
type Pull struct {
	Epoch string `json:"epoch"`
	After int64  `json:"after"`
	Limit int    `json:"limit"`
}

// Events is a page of the scope's events with After < HubSeq ≤ Upto.
type Events struct {
	Epoch   string         `json:"epoch"`
	After   int64          `json:"after"`
	Upto    int64          `json:"upto"`
	LastSeq int64          `json:"last_seq"`
	More    bool           `json:"more"`
	Events  []domain.Event `json:"events"`
}

// Heartbeat carries the device's health.
type Heartbeat struct {
	SentAt time.Time `json:"sent_at"`
	Health Health    `json:"health"`
}

// Health is a device's health report.
type Health struct {
	Reader  string `json:"reader"`  // the ID card reader's state: ok, absent, error, off …
	Scanner string `json:"scanner"` // the QR scanner's state, as Reader
	Outbox  int64  `json:"outbox"`  // facts recorded at the station and not yet acknowledged
	Lag     int64  `json:"lag"`     // hub log positions the station has not downloaded yet
	SkewMS  int64  `json:"skew_ms"`
	Version string `json:"version"`
	Role    string `json:"role,omitempty"`
	// DiskFree and DiskTotal are the bytes free and in all on the disk of the station's
	// data; 0 when the station cannot tell.
	DiskFree  uint64 `json:"disk_free,omitempty"`
	DiskTotal uint64 `json:"disk_total,omitempty"`
	// ReadOnly is why the station's store refuses writes (disk_full, db_corrupt); empty
	// while it takes them.
	ReadOnly string `json:"read_only,omitempty"`
}

// Beat answers a heartbeat so the device can estimate its clock skew.
type Beat struct {
	HubTime time.Time `json:"hub_time"`
	Echo    time.Time `json:"echo"`
}

// Error refuses one request; the session stays open.
type Error struct {
	Code       string `json:"code"`
	Message    string `json:"message,omitempty"`
	Batch      int64  `json:"batch,omitempty"`
	LastDevSeq int64  `json:"last_dev_seq,omitempty"`
	Epoch      string `json:"epoch,omitempty"`
	Fact       string `json:"fact,omitempty"`    // fact_refused: the refused fact's id
	DevSeq     int64  `json:"dev_seq,omitempty"` // fact_refused: its sequence
	// Reason is fact_refused's code (domain.FactCode: schema, bad_time, scope …), stable
	// for programs; Message explains it in English.
	Reason string `json:"reason,omitempty"`
}

func (*Challenge) Type() string { return TypeChallenge }
func (*Hello) Type() string     { return TypeHello }
func (*Welcome) Type() string   { return TypeWelcome }
func (*Upload) Type() string    { return TypeUpload }
func (*Ack) Type() string       { return TypeAck }
func (*Pull) Type() string      { return TypePull }
func (*Events) Type() string    { return TypeEvents }
func (*Heartbeat) Type() string { return TypeHeartbeat }
func (*Beat) Type() string      { return TypeBeat }
func (*Error) Type() string     { return TypeError }

// envelope is the JSON shape of every frame.
type envelope struct {
	T string          `json:"t"`
	D json.RawMessage `json:"d"`
}

// newMessage returns an empty message of the named type, or nil for an unknown type.
func newMessage(t string) Message {
	switch t {
	case TypeChallenge:
		return &Challenge{}
	case TypeHello:
		return &Hello{}
	case TypeWelcome:
		return &Welcome{}
	case TypeUpload:
		return &Upload{}
	case TypeAck:
		return &Ack{}
	case TypePull:
		return &Pull{}
	case TypeEvents:
		return &Events{}
	case TypeHeartbeat:
		return &Heartbeat{}
	case TypeBeat:
		return &Beat{}
	case TypeError:
		return &Error{}
	}
	return nil
}
