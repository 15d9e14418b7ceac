package client

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gorilla/websocket"

	"liaison/sync/domain"
	"liaison/sync/protocol"
)

// run drives one session after dialling: handshake, then upload, download and heartbeats
// until something fails or ctx ends.
func (s *conn) run(ctx context.Context) (welcomed bool, err error) {
	w, err := s.handshake(ctx)
	if err != nil {
		return false, err
	}
	if err := s.open(ctx, w); err != nil {
		return true, err
	}
	hb := s.c.cfg.Heartbeat
	if hb <= 0 {
		hb = time.Duration(w.Heartbeat) * time.Second
	}
	if hb <= 0 {
		hb = DefaultHeartbeat
	}
	tick := time.NewTicker(hb)
	defer tick.Stop()
	if err := s.pull(); err != nil {
		return true, err
	}
	if err := s.upload(ctx); err != nil {
		return true, err
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		timer.Reset(s.untilDeadline())
		select {
		case <-ctx.Done():
			return true, nil
		case in := <-s.in:
			if in.err != nil {
				return true, in.err
			}
			err = s.handle(ctx, in.msg)
		case <-s.c.kick:
			err = s.upload(ctx)
		case <-tick.C:
			err = s.beat(ctx)
		case <-timer.C:
			if !s.deadline.IsZero() && !time.Now().Before(s.deadline) {
				return true, fmt.Errorf("wait for ack or page: %w", ErrTimeout)
			}
		}
		if err != nil {
			return true, err
		}
	}
}

func (s *conn) untilDeadline() time.Duration {
	if s.deadline.IsZero() {
		return time.Hour
	}
	return max(time.Until(s.deadline), 0)
}

// armDeadline sets the request deadline when nothing else is in flight.
func (s *conn) armDeadline() {
	if s.deadline.IsZero() {
		s.deadline = time.Now().Add(s.c.cfg.RequestTimeout)
	}
}

func (s *conn) settle() {
	if s.batch == 0 && !s.pulling {
		s.deadline = time.Time{}
	} else {
		// Something is still in flight: give it a full timeout from now.
		s.deadline = time.Now().Add(s.c.cfg.RequestTimeout)
	}
}

// open adopts the hub's epoch (resetting what was learned from an older one) and the upload
// position from the welcome.
func (s *conn) open(ctx context.Context, w *protocol.Welcome) error {
	st := s.c.store
	epoch, cursor, err := st.Cursor(ctx)
	if err != nil {
		return fmt.Errorf("read cursor: %w: %w", ErrStore, err)
	}
	if epoch != w.Epoch {
		if epoch != "" {
			s.c.log.Warn("hub epoch changed: resyncing", "old", epoch, "new", w.Epoch)
		}
		if err := st.ResetRemote(ctx, w.Epoch); err != nil {
			return fmt.Errorf("reset remote: %w: %w", ErrStore, err)
		}
		cursor = 0
	}
	s.epoch, s.cursor, s.hubLastSeq = w.Epoch, cursor, w.LastSeq
	local, err := st.LastLocalSeq(ctx)
	if err != nil {
		return fmt.Errorf("read last local seq: %w: %w", ErrStore, err)
	}
	if local < w.LastDevSeq {
		// The hub holds facts of ours we no longer have (this store was restored): never
		// reuse those sequence numbers.
		s.c.log.Error("hub holds more facts of this device than the local store",
			"hub", w.LastDevSeq, "local", local)
	}
	s.uploadFrom = w.LastDevSeq
	if err := st.MarkUploaded(ctx, min(w.LastDevSeq, local)); err != nil {
		return fmt.Errorf("mark uploaded: %w: %w", ErrStore, err)
	}
	s.c.setUploaded(w.LastDevSeq)
	s.c.refreshOutbox(ctx)
	s.c.update(func(st *Status) {
		st.State, st.Epoch, st.Cursor, st.ErrorCode = StateConnected, s.epoch, s.cursor, ""
		st.Lag = max(w.LastSeq-s.cursor, 0)
	})
	return nil
}

func (s *conn) handle(ctx context.Context, m protocol.Message) error {
	switch m := m.(type) {
	case *protocol.Ack:
		return s.ack(ctx, m)
	case *protocol.Events:
		return s.events(ctx, m)
	case *protocol.Error:
		return s.refused(ctx, m)
	case *protocol.Beat:
		if !s.beatSent.IsZero() && m.Echo.Equal(s.beatSent) {
			now := s.c.cfg.Now()
			mid := s.beatSent.Add(now.Sub(s.beatSent) / 2)
			skew := mid.Sub(m.HubTime).Milliseconds()
			s.c.update(func(st *Status) { st.SkewMS = skew })
		}
		return nil
	}
	return fmt.Errorf("unexpected %s: %w", m.Type(), ErrProtocol)
}

func (s *conn) upload(ctx context.Context) error {
	if s.batch != 0 || s.noUpload {
		return nil
	}
	facts, err := s.c.store.LocalFactsAfter(ctx, s.uploadFrom, s.c.cfg.UploadBatch)
	if err != nil {
		return fmt.Errorf("read outbox: %w: %w", ErrStore, err)
	}
	if len(facts) == 0 {
		s.c.refreshOutbox(ctx)
		return nil
	}
	s.batchNext++
	up := &protocol.Upload{Batch: s.batchNext, Facts: facts}
	b, err := protocol.Encode(up)
	for err == nil && len(b) > protocol.MaxFrameBytes && len(up.Facts) > 1 {
		up.Facts = up.Facts[:len(up.Facts)/2]
		b, err = protocol.Encode(up)
	}
	if err != nil {
		return fmt.Errorf("encode upload: %w", err)
	}
	_ = s.ws.SetWriteDeadline(time.Now().Add(s.c.cfg.RequestTimeout))
	if err := s.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("send upload: %w", err)
	}
	s.batch = up.Batch
	s.armDeadline()
	return nil
}

func (s *conn) ack(ctx context.Context, a *protocol.Ack) error {
	if !s.answered(a.Batch) {
		return nil // a duplicate or stale answer
	}
	s.hubLastSeq = max(s.hubLastSeq, a.LastSeq)
	return s.resume(ctx, a.LastDevSeq)
}

// answered reports whether an answer is to the batch in flight, which it then ends. Any other
// is stale: the ack of a later batch or the next welcome says where the hub is.
func (s *conn) answered(batch int64) bool {
	if batch != s.batch {
		return false
	}
	s.batch = 0
	s.settle()
	return true
}

// resume records that the hub holds our facts up to seq and uploads what follows.
func (s *conn) resume(ctx context.Context, seq int64) error {
	if err := s.acknowledged(ctx, seq); err != nil {
		return err
	}
	return s.upload(ctx)
}

// acknowledged records that the hub holds our facts up to seq.
func (s *conn) acknowledged(ctx context.Context, seq int64) error {
	s.uploadFrom = seq
	if err := s.c.store.MarkUploaded(ctx, seq); err != nil {
		return fmt.Errorf("mark uploaded: %w: %w", ErrStore, err)
	}
	s.c.setUploaded(seq)
	s.c.refreshOutbox(ctx)
	return nil
}

func (s *conn) refused(ctx context.Context, e *protocol.Error) error {
	switch e.Code {
	case protocol.ErrCodeSeqGap:
		if !s.answered(e.Batch) {
			return nil
		}
		s.c.log.Warn("hub reported a sequence gap; uploading from its position", "hub_last", e.LastDevSeq)
		return s.resume(ctx, e.LastDevSeq)
	case protocol.ErrCodeEpochMismatch:
		if err := s.c.store.ResetRemote(ctx, e.Epoch); err != nil {
			return fmt.Errorf("reset remote: %w: %w", ErrStore, err)
		}
		s.epoch, s.cursor, s.pulling = e.Epoch, 0, false
		s.c.update(func(st *Status) { st.Epoch, st.Cursor = e.Epoch, 0 })
		return s.pull()
	case protocol.ErrCodeFactRefused:
		if !s.answered(e.Batch) {
			return nil
		}
		s.c.log.Error("hub set a fact aside as invalid", "fact", e.Fact, "dev_seq", e.DevSeq, "reason", e.Message)
		note := domain.NewError(domain.CodeSyncFactRefused, "seq", strconv.FormatInt(e.DevSeq, 10), "fact", e.Fact)
		s.c.update(func(st *Status) { st.Refused++; st.LastRefused = note })
		// The hub has moved past the fact: the rest of the outbox continues from there.
		return s.resume(ctx, e.LastDevSeq)
	case protocol.ErrCodeBadFact:
		s.batch, s.noUpload = 0, true
		s.settle()
		s.c.log.Error("hub refused a fact", "message", e.Message)
		s.c.update(func(st *Status) { st.ErrorCode = domain.CodeSyncFactRejected })
		return nil
	}
	return fmt.Errorf("hub error %s: %s: %w", e.Code, e.Message, ErrProtocol)
}

func (s *conn) pull() error {
	return s.pullAfterSeq(s.cursor)
}

// pullAfterSeq asks for the page after seq unless a pull is already in flight.
func (s *conn) pullAfterSeq(seq int64) error {
	if s.pulling {
		return nil
	}
	if err := s.write(&protocol.Pull{Epoch: s.epoch, After: seq, Limit: s.c.cfg.PageSize}); err != nil {
		return err
	}
	s.pulling, s.pullAfter = true, seq
	s.armDeadline()
	return nil
}

// events applies a page that continues from the cursor; anything else is a duplicate (dropped)
// or shows a gap (pull from the cursor).
func (s *conn) events(ctx context.Context, p *protocol.Events) error {
	if p.Epoch != s.epoch {
		return fmt.Errorf("page of epoch %s in session of %s: %w", p.Epoch, s.epoch, ErrProtocol)
	}
	if s.pulling && p.After == s.pullAfter {
		s.pulling = false
		s.settle()
	}
	s.hubLastSeq = max(s.hubLastSeq, p.LastSeq)
	if p.After != s.cursor {
		if p.Upto > s.cursor {
			return s.pull()
		}
		return nil
	}
	if p.More {
		// Ask for the next page before applying this one, so the hub reads and sends it while
		// the store writes. If applying fails the session ends and that page is dropped.
		if err := s.pullAfterSeq(p.Upto); err != nil {
			return err
		}
	}
	if err := s.c.store.ApplyRemote(ctx, s.epoch, p.Events, p.Upto); err != nil {
		return fmt.Errorf("apply page: %w: %w", ErrStore, err)
	}
	s.cursor = p.Upto
	if len(p.Events) > 0 && s.c.cfg.OnApplied != nil {
		s.c.cfg.OnApplied(p.Events)
	}
	now := s.c.cfg.Now()
	s.c.update(func(st *Status) {
		st.Cursor, st.Lag = s.cursor, max(s.hubLastSeq-s.cursor, 0)
		if !p.More {
			st.LastSync = now
		}
	})
	return nil
}

// beat sends a heartbeat and, as a safety net for a lost push or ack, re-scans the outbox and
// pulls after the cursor.
func (s *conn) beat(ctx context.Context) error {
	h := protocol.Health{}
	if s.c.cfg.Health != nil {
		h = s.c.cfg.Health()
	}
	st := s.c.Status()
	h.Outbox, h.Lag, h.SkewMS, h.Version, h.Role = st.Outbox, st.Lag, st.SkewMS, s.c.cfg.AppVersion, s.c.cfg.Role
	s.beatSent = s.c.cfg.Now().UTC()
	if err := s.write(&protocol.Heartbeat{SentAt: s.beatSent, Health: h}); err != nil {
		return err
	}
	if err := s.pull(); err != nil {
		return err
	}
	return s.upload(ctx)
}

// refusalName is a refusal code in Chinese for the technician screen; the code itself follows
// in brackets so it can be looked up in the hub's quarantine.
func refusalName(code string) string {
	names := map[string]string{
		"unknown_kind": "未知的记录类型", "hub_only": "只能由中心记录", "actor_role": "身份不能做此操作",
		"schema": "格式不对", "too_large": "内容过大", "too_deep": "结构过深", "bad_text": "含有无效字符",
		"too_long": "文字过长", "bad_time": "时间不对，请检查本机时钟", "bad_id": "编号格式不对",
		"bad_value": "取值不对", "wrong_device": "不是本设备的记录", "scope": "不属于本站",
		"device_role": "本设备不能提交记录", "duplicate_id": "记录编号重复", "foreign": "涉及其他站的事项或活动",
		"case_exists": "事项或编号已存在",
	}
	if n, ok := names[code]; ok {
		return n + " " + code
	}
	if code == "" {
		return "原因未注明"
	}
	return code
}
