package wsserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/protocol"
)

// errClosed ends a session's loops once closeWith has run.
var errClosed = errors.New("session closed")

const levelWarn = slog.LevelWarn

// session is one authenticated device connection. The handler goroutine reads; a writer
// goroutine drains the bounded send queue and pings; a downloader goroutine serves pulls and
// pushes so a page is never built twice at once.
type session struct {
	srv    *Server
	conn   *websocket.Conn
	remote string
	dev    store.Device
	epoch  string

	gen    uint64 // order of arrival: a device's newer connection replaces an older one, never the reverse
	ctx    context.Context
	cancel context.CancelFunc
	q      *sendQueue
	pulls  chan *protocol.Pull
	wakeCh chan struct{}
	notify atomic.Int64 // highest log sequence announced by Notify

	closeOnce sync.Once
	closeCode atomic.Int32 // the protocol.CloseCode the session ended with; written once by closeWith
}

func newSession(srv *Server, conn *websocket.Conn, remote string, gen uint64) *session {
	ctx, cancel := context.WithCancel(srv.ctx)
	return &session{
		srv: srv, conn: conn, remote: remote, gen: gen, ctx: ctx, cancel: cancel,
		q:      newSendQueue(srv.cfg.SendQueueBytes),
		pulls:  make(chan *protocol.Pull, 1),
		wakeCh: make(chan struct{}, 1),
	}
}

func (s *session) run() {
	defer s.cancel()
	defer s.conn.Close()
	// Until the hello is verified the peer is a stranger: it may make the hub hold one small
	// frame for a short while, nothing more.
	s.conn.SetReadLimit(protocol.MaxHelloBytes)
	ok := s.authenticate()
	s.srv.pending.Add(-1)
	if !ok {
		return
	}
	s.conn.SetReadLimit(protocol.MaxFrameBytes)
	// Registered before the welcome: a connection that lost to a newer one of its device is
	// closed without ever being told it is open.
	if !s.srv.register(s) {
		return
	}
	defer s.srv.unregister(s)
	if !s.welcome() {
		return
	}
	log := s.srv.log.With("device", s.dev.ID, "station", s.dev.Station)
	log.Debug("session open", "remote", s.remote)

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.writeLoop() }()
	go func() { defer wg.Done(); s.downloadLoop() }()
	err := s.readLoop()
	s.cancel()
	wg.Wait()
	log.Debug("session closed", "err", err, "code", protocol.CloseCode(s.closeCode.Load()))
}

// authenticate sends the challenge and checks the hello. It closes the connection with the
// matching code and returns false when the device may not sync; run then registers the
// session and sends the welcome.
func (s *session) authenticate() bool {
	cfg := s.srv.cfg
	nonce, err := protocol.NewNonce()
	if err != nil {
		s.closeWith(protocol.CloseInternal, "no randomness")
		return false
	}
	if err := s.writeNow(&protocol.Challenge{V: protocol.Version, Nonce: nonce, HubTime: cfg.Now().UTC()}); err != nil {
		return false
	}
	_ = s.conn.SetReadDeadline(time.Now().Add(cfg.AuthTimeout))
	m, err := s.readMessage()
	if err != nil {
		s.closeForReadError(err, protocol.CloseAuthTimeout)
		return false
	}
	hello, ok := m.(*protocol.Hello)
	if !ok {
		s.closeWith(protocol.CloseProtocol, "expected hello")
		return false
	}
	if hello.V != protocol.Version {
		s.closeWith(protocol.CloseVersion, fmt.Sprintf("protocol version %d not supported", hello.V))
		return false
	}
	dev, err := s.srv.store.Device(s.ctx, hello.Device)
	switch {
	case errors.Is(err, store.ErrUnknownDevice):
		s.closeWith(protocol.CloseUnknownDevice, "device not enrolled")
		return false
	case err != nil:
		s.srv.log.Error("look up device", "device", hello.Device, "err", err)
		s.closeWith(protocol.CloseInternal, "store unavailable")
		return false
	case dev.Revoked:
		s.closeWith(protocol.CloseRevoked, "device revoked")
		return false
	case !protocol.VerifyHello(dev.PublicKey, nonce, hello):
		s.closeWith(protocol.CloseBadSignature, "signature does not verify")
		return false
	}
	s.dev = dev
	return true
}

func (s *session) welcome() bool {
	st := s.srv.store
	lastDev, err := st.LastDevSeq(s.ctx, s.dev.ID)
	if err == nil {
		var last int64
		last, err = st.LastSeq(s.ctx)
		if err == nil {
			s.epoch = st.Epoch()
			err = s.writeNow(&protocol.Welcome{
				Epoch: s.epoch, LastSeq: last, LastDevSeq: lastDev, Station: s.dev.Station,
				HubTime: s.srv.cfg.Now().UTC(), Heartbeat: int(s.srv.cfg.Heartbeat / time.Second),
			})
			return err == nil
		}
	}
	s.srv.log.Error("open session", "device", s.dev.ID, "err", err)
	s.closeWith(protocol.CloseInternal, "store unavailable")
	return false
}

func (s *session) readMessage() (protocol.Message, error) {
	typ, r, err := s.conn.NextReader()
	if err != nil {
		return nil, err
	}
	if typ != websocket.TextMessage {
		return nil, fmt.Errorf("binary frame: %w", protocol.ErrMalformed)
	}
	return protocol.ReadMessage(r)
}

// closeForReadError closes with the code a failed read deserves; timeout is the code for a
// deadline that passed.
func (s *session) closeForReadError(err error, timeout protocol.CloseCode) {
	var ne net.Error
	switch {
	case errors.Is(err, websocket.ErrReadLimit):
		s.closeWith(protocol.CloseTooBig, "frame too big")
	case errors.As(err, &ne) && ne.Timeout():
		s.closeWith(timeout, "timed out")
	case errors.Is(err, protocol.ErrMalformed), errors.Is(err, protocol.ErrTooLarge),
		errors.Is(err, protocol.ErrUnknownType), errors.Is(err, protocol.ErrInvalid):
		s.closeWith(protocol.CloseCodeFor(err), trimReason(err.Error()))
	default:
		// The peer went away or the connection broke: nothing to tell it.
		s.closeWith(protocol.CloseNormal, "")
	}
}

func (s *session) readLoop() error {
	pongWait := s.srv.cfg.PongWait
	s.conn.SetPongHandler(func(string) error {
		return s.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		_ = s.conn.SetReadDeadline(time.Now().Add(pongWait))
		m, err := s.readMessage()
		if err != nil {
			s.closeForReadError(err, protocol.CloseNormal)
			return err
		}
		if err := s.handle(m); err != nil {
			return err
		}
	}
}

func (s *session) handle(m protocol.Message) error {
	switch m := m.(type) {
	case *protocol.Upload:
		return s.upload(m)
	case *protocol.Pull:
		// Only the newest pull matters: an older one still queued asks for a page the device
		// no longer waits for (duplicated frames can produce several).
		select {
		case s.pulls <- m:
		default:
			select {
			case <-s.pulls:
			default:
			}
			s.pulls <- m // the reader is the only sender, so the slot is free now
		}
		return nil
	case *protocol.Heartbeat:
		return s.heartbeat(m)
	case *protocol.Hello:
		s.closeWith(protocol.CloseProtocol, "hello replayed")
		return errClosed
	default:
		s.closeWith(protocol.CloseProtocol, "unexpected "+m.Type())
		return errClosed
	}
}

func (s *session) upload(m *protocol.Upload) error {
	res, err := s.srv.store.ApplyFacts(s.ctx, s.dev.ID, m.Facts)
	s.srv.cfg.Metrics.factsApplied(res.Applied, res.Duplicates)
	if res.Applied > 0 {
		// What a device may write lies in its own station's scope (the store refuses the rest).
		s.srv.notifyStations(map[string]bool{s.dev.Station: true}, res.LastSeq)
	}
	switch {
	case errors.Is(err, store.ErrRevoked):
		s.closeWith(protocol.CloseRevoked, "device revoked")
		return errClosed
	case errors.Is(err, store.ErrInvalidFact):
		return s.refuse(m, res, err)
	case errors.Is(err, store.ErrSequenceGap):
		return s.seqGap(m.Batch, res.LastDevSeq)
	case err != nil:
		s.srv.log.Error("apply facts", "device", s.dev.ID, "err", err)
		return s.send(&protocol.Error{Code: protocol.ErrCodeUnavailable, Batch: m.Batch, Message: "store unavailable"})
	}
	return s.send(&protocol.Ack{Batch: m.Batch, Applied: res.Applied, Duplicates: res.Duplicates,
		LastDevSeq: res.LastDevSeq, LastSeq: res.LastSeq})
}

// seqGap tells the device to upload from the hub's last sequence of it (known, the store
// failing to say, from the batch's result).
func (s *session) seqGap(batch, known int64) error {
	last, err := s.srv.store.LastDevSeq(s.ctx, s.dev.ID)
	if err != nil {
		last = known
	}
	return s.send(&protocol.Error{Code: protocol.ErrCodeSeqGap, Batch: batch, LastDevSeq: last,
		Message: "upload from the next sequence"})
}

// refuse handles a batch the store stopped at an invalid fact (the one after res.LastDevSeq).
// With a FactRefuser the fact is set aside and the device told to move past it; otherwise it
// is told bad_fact and stays stuck until a person looks. Either way the facts before it are
// applied, and it is never answered "unavailable", which would make the device retry forever.
func (s *session) refuse(m *protocol.Upload, res store.ApplyResult, cause error) error {
	var bad *domain.Event
	for i := range m.Facts {
		if m.Facts[i].DevSeq == res.LastDevSeq+1 {
			bad = &m.Facts[i]
			break
		}
	}
	reason := trimText(cause.Error())
	code := domain.RefusalCode(cause)
	if code == "" {
		code = domain.CodeSchema // a store that gives no code: the content is what it refused
	}
	s.srv.cfg.Metrics.factRefused(code)
	s.srv.limitedLog.Log(levelWarn, "fact refused", "device", s.dev.ID, "station", s.dev.Station,
		"after", res.LastDevSeq, "code", code, "err", cause)
	refuser, ok := s.srv.store.(FactRefuser)
	if bad == nil || !ok {
		return s.send(&protocol.Error{Code: protocol.ErrCodeBadFact, Batch: m.Batch, LastDevSeq: res.LastDevSeq,
			Reason: string(code), Message: reason})
	}
	out, err := refuser.RefuseFact(s.ctx, s.dev.ID, *bad, code, reason)
	switch {
	case errors.Is(err, store.ErrSequenceGap):
		// Another session of this device moved the hub on meanwhile: resume from there.
		return s.seqGap(m.Batch, res.LastDevSeq)
	case err != nil:
		s.srv.log.Error("refuse fact", "device", s.dev.ID, "fact", bad.ID, "err", err)
		return s.send(&protocol.Error{Code: protocol.ErrCodeUnavailable, Batch: m.Batch, Message: "store unavailable"})
	}
	if out.Duplicates == 0 {
		s.srv.cfg.Metrics.factQuarantined()
	}
	return s.send(&protocol.Error{Code: protocol.ErrCodeFactRefused, Batch: m.Batch, LastDevSeq: out.LastDevSeq,
		Fact: trimReason(bad.ID), DevSeq: bad.DevSeq, Reason: string(code), Message: reason})
}

// trimText keeps an error message within protocol.MaxMessageBytes without splitting a rune.
func trimText(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= protocol.MaxMessageBytes {
		return s
	}
	s = s[:protocol.MaxMessageBytes]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func (s *session) heartbeat(m *protocol.Heartbeat) error {
	now := s.srv.cfg.Now().UTC()
	rec := store.HeartbeatRecord{Health: m.Health, SentAt: m.SentAt, ReceivedAt: now}
	if !m.SentAt.IsZero() {
		rec.HubSkewMS = m.SentAt.Sub(now).Milliseconds()
	}
	b, err := json.Marshal(rec)
	if err == nil && len(b) <= protocol.MaxHealthBytes {
		if err := s.srv.store.RecordHeartbeat(s.ctx, s.dev.ID, b); err != nil {
			s.srv.log.Warn("record heartbeat", "device", s.dev.ID, "err", err)
		}
	}
	return s.send(&protocol.Beat{HubTime: now, Echo: m.SentAt})
}

// send queues a frame for the writer (see sendFrame).
func (s *session) send(m protocol.Message) error {
	b, err := protocol.Encode(m)
	if err != nil {
		s.closeWith(protocol.CloseInternal, "encode")
		return err
	}
	return s.sendFrame(b)
}

// writeNow writes a frame directly; only before the writer goroutine starts.
func (s *session) writeNow(m protocol.Message) error {
	b, err := protocol.Encode(m)
	if err != nil {
		return err
	}
	_ = s.conn.SetWriteDeadline(time.Now().Add(s.srv.cfg.WriteTimeout))
	return s.conn.WriteMessage(websocket.TextMessage, b)
}

// closeWith sends a close frame with code (unless it is CloseNormal, used for connections that
// already broke) and closes the connection, once.
func (s *session) closeWith(code protocol.CloseCode, reason string) {
	s.closeOnce.Do(func() {
		s.closeCode.Store(int32(code))
		if code != protocol.CloseNormal {
			s.srv.cfg.Metrics.closed(code)
			msg := websocket.FormatCloseMessage(int(code), reason)
			_ = s.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		}
		s.cancel()
		_ = s.conn.Close()
	})
}

// trimReason keeps close reasons and echoed ids within the control frame's 123 bytes.
func trimReason(s string) string {
	const max = 100
	if len(s) > max {
		s = s[:max]
	}
	return strings.ToValidUTF8(s, "")
}
