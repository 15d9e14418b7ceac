package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// Errors a session ends with (wrapped).
var (
	ErrTimeout  = errors.New("hub did not answer in time")
	ErrProtocol = errors.New("hub broke the protocol")
	ErrStore    = errors.New("local store failed")
)

// sessionResult says how a session ended and what to do next.
type sessionResult struct {
	err       error
	reconnect protocol.Reconnect
	problem   string // registered status code (domain.CodeSync…) for the screen
	welcomed  bool
	code      protocol.CloseCode // the hub's close code, 0 when it sent none
}

// inbound is one frame (or the read error that ended the reader).
type inbound struct {
	msg protocol.Message
	err error
}

// conn is one session's state, owned by the session goroutine.
type conn struct {
	c     *Client
	ws    *websocket.Conn
	in    chan inbound
	epoch string

	cursor     int64
	uploadFrom int64 // the hub holds our facts up to here
	batch      int64 // id of the batch in flight, 0 when none
	batchNext  int64
	noUpload   bool // a fact was refused: wait for the next session
	pullAfter  int64
	pulling    bool
	deadline   time.Time // when the request in flight times out
	beatSent   time.Time
	caughtUp   bool
	hubLastSeq int64
}

func (c *Client) session(ctx context.Context) sessionResult {
	ws, err := c.dial(ctx)
	if err != nil {
		return sessionResult{err: err, problem: domain.CodeSyncDialFailed}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &conn{c: c, ws: ws, in: make(chan inbound, 16)}
	go s.readLoop(ctx)
	defer ws.Close()
	welcomed, err := s.run(ctx)
	res := sessionResult{err: err, welcomed: welcomed}
	var ce *websocket.CloseError
	switch {
	case ctx.Err() != nil:
		_ = ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, "stopping"), time.Now().Add(time.Second))
	case errors.As(err, &ce):
		code := protocol.CloseCode(ce.Code)
		res.reconnect, res.problem, res.code = code.Reconnect(), closeProblem(code), code
	case errors.Is(err, ErrTimeout):
		res.problem = domain.CodeSyncTimeout
	case errors.Is(err, ErrStore):
		res.problem = domain.CodeSyncStoreFailed
	default:
		res.problem = domain.CodeSyncInterrupted
	}
	return res
}

func (c *Client) dial(ctx context.Context) (*websocket.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	netDial := c.cfg.NetDial
	if netDial == nil {
		var nd net.Dialer
		netDial = nd.DialContext
	}
	// The dialer only applies the context's deadline to the handshake, not its cancellation:
	// close the connection when the context ends, so stopping the station never waits for a
	// hub that accepted the connection and fell silent.
	var release func() bool
	d := websocket.Dialer{
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := netDial(ctx, network, addr)
			if err == nil {
				release = context.AfterFunc(dctx, func() { conn.Close() })
			}
			return conn, err
		},
		TLSClientConfig:  c.cfg.TLSConfig,
		HandshakeTimeout: c.cfg.RequestTimeout,
		Subprotocols:     []string{protocol.Subprotocol},
		ReadBufferSize:   4 << 10,
		WriteBufferSize:  16 << 10,
	}
	ws, resp, err := d.DialContext(dctx, c.cfg.HubURL, http.Header{})
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err == nil && release != nil && !release() {
		ws.Close()
		err = dctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", c.cfg.HubURL, err)
	}
	ws.SetReadLimit(protocol.MaxFrameBytes)
	return ws, nil
}

// closeProblem is the status code of a session the hub closed with code.
func closeProblem(code protocol.CloseCode) string {
	switch code {
	case protocol.CloseUnknownDevice:
		return domain.CodeSyncUnknown
	case protocol.CloseRevoked:
		return domain.CodeSyncRevoked
	case protocol.CloseVersion:
		return domain.CodeSyncVersion
	case protocol.CloseBadSignature:
		return domain.CodeSyncBadSignature
	case protocol.CloseBusy:
		return domain.CodeSyncBusy
	case protocol.CloseSlowConsumer:
		return domain.CodeSyncSlow
	case protocol.CloseGoingAway, protocol.CloseShutdown:
		return domain.CodeSyncRestarting
	case protocol.CloseReplaced:
		return domain.CodeSyncReplaced
	}
	return domain.CodeSyncInterrupted
}

func (s *conn) readLoop(ctx context.Context) {
	rt := s.c.cfg.ReadTimeout
	s.ws.SetPingHandler(func(data string) error {
		_ = s.ws.SetReadDeadline(time.Now().Add(rt))
		err := s.ws.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(s.c.cfg.RequestTimeout))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil
		}
		return err
	})
	for {
		_ = s.ws.SetReadDeadline(time.Now().Add(rt))
		typ, r, err := s.ws.NextReader()
		var m protocol.Message
		if err == nil {
			if typ != websocket.TextMessage {
				err = fmt.Errorf("binary frame: %w", ErrProtocol)
			} else if m, err = protocol.ReadMessage(r); err != nil {
				err = fmt.Errorf("%w: %w", ErrProtocol, err)
			}
		}
		select {
		case s.in <- inbound{msg: m, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

func (s *conn) write(m protocol.Message) error {
	b, err := protocol.Encode(m)
	if err != nil {
		return err
	}
	_ = s.ws.SetWriteDeadline(time.Now().Add(s.c.cfg.RequestTimeout))
	if err := s.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("send %s: %w", m.Type(), err)
	}
	return nil
}

// next waits for one frame until the request deadline.
func (s *conn) next(ctx context.Context, what string) (protocol.Message, error) {
	t := time.NewTimer(s.c.cfg.RequestTimeout)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-t.C:
		return nil, fmt.Errorf("wait for %s: %w", what, ErrTimeout)
	case in := <-s.in:
		return in.msg, in.err
	}
}

// handshake answers the challenge and opens the session.
func (s *conn) handshake(ctx context.Context) (*protocol.Welcome, error) {
	m, err := s.next(ctx, "challenge")
	if err != nil {
		return nil, err
	}
	ch, ok := m.(*protocol.Challenge)
	if !ok {
		return nil, fmt.Errorf("got %s before challenge: %w", m.Type(), ErrProtocol)
	}
	if err := s.write(protocol.SignHello(s.c.key, ch.Nonce, s.c.cfg.DeviceID, s.c.cfg.AppVersion)); err != nil {
		return nil, err
	}
	m, err = s.next(ctx, "welcome")
	if err != nil {
		return nil, err
	}
	w, ok := m.(*protocol.Welcome)
	if !ok {
		return nil, fmt.Errorf("got %s before welcome: %w", m.Type(), ErrProtocol)
	}
	return w, nil
}
