package wsserver

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"liaison/sync/protocol"
)

// sendQueue holds a session's encoded frames for its writer, bounded in bytes: a frame counts
// from when it is queued until it is written, so the queue never holds more than its limit
// (one frame larger than the limit is taken only into an empty queue, so a full page always
// goes out). A device that does not read fills it and is closed as a slow consumer.
type sendQueue struct {
	limit int

	mu     sync.Mutex
	frames [][]byte
	bytes  int
	ready  chan struct{} // a frame was queued
	done   chan struct{} // a frame was written
}

func newSendQueue(limit int) *sendQueue {
	return &sendQueue{limit: limit, ready: make(chan struct{}, 1), done: make(chan struct{}, 1)}
}

// push queues b and reports false when it does not fit.
func (q *sendQueue) push(b []byte) bool {
	q.mu.Lock()
	if q.bytes > 0 && q.bytes+len(b) > q.limit {
		q.mu.Unlock()
		return false
	}
	q.frames = append(q.frames, b)
	q.bytes += len(b)
	q.mu.Unlock()
	signal(q.ready)
	return true
}

// take returns the queued frames; they keep counting until written reports them.
func (q *sendQueue) take() [][]byte {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.frames
	q.frames = nil
	return out
}

// written removes n bytes of written frames from the count.
func (q *sendQueue) written(n int) {
	q.mu.Lock()
	q.bytes -= n
	q.mu.Unlock()
	signal(q.done)
}

// queued is the number of bytes queued or being written.
func (q *sendQueue) queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.bytes
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// sendFrame queues an encoded frame; a frame that does not fit closes the session as a slow
// consumer rather than letting the hub's memory grow.
func (s *session) sendFrame(b []byte) error {
	if s.ctx.Err() != nil {
		return errClosed
	}
	if !s.q.push(b) {
		s.slow("send queue full")
		return errClosed
	}
	return nil
}

// slow closes the session as a slow consumer.
func (s *session) slow(why string) {
	s.srv.cfg.Metrics.slowConsumer()
	s.srv.limitedLog.Log(levelWarn, "slow device disconnected", "device", s.dev.ID, "why", why,
		"queued_bytes", s.q.queued())
	s.closeWith(protocol.CloseSlowConsumer, why)
}

// writeDeadline is how long writing b may take: the write timeout plus the time the frame
// takes at the slowest link the hub serves, so a big page on a slow but working link is not
// cut off while a device that stopped reading is.
func (s *session) writeDeadline(n int) time.Time {
	cfg := s.srv.cfg
	return time.Now().Add(cfg.WriteTimeout + time.Duration(n)*time.Second/time.Duration(cfg.MinSendRate))
}

func (s *session) writeLoop() {
	ping := time.NewTicker(s.srv.cfg.PingInterval)
	defer ping.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.q.ready:
			for _, b := range s.q.take() {
				_ = s.conn.SetWriteDeadline(s.writeDeadline(len(b)))
				err := s.conn.WriteMessage(websocket.TextMessage, b)
				s.q.written(len(b))
				if err != nil {
					s.writeFailed(err)
					return
				}
			}
		case <-ping.C:
			if err := s.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(s.srv.cfg.WriteTimeout)); err != nil {
				s.writeFailed(err)
				return
			}
		}
	}
}

// writeFailed ends the session after a write failed: a write that timed out is a device that
// stopped reading (a slow consumer); anything else is a connection that broke.
func (s *session) writeFailed(err error) {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		s.slow("write timed out")
		return
	}
	s.closeWith(protocol.CloseNormal, "")
}
