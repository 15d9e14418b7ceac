package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"liaison/sync/domain"
)

// Sentinel errors of decoding and validation. Decode wraps them with detail.
var (
	ErrMalformed   = errors.New("malformed message")
	ErrUnknownType = errors.New("unknown message type")
	ErrTooLarge    = errors.New("message over its limit")
	ErrInvalid     = errors.New("invalid message")
)

// Encode returns the frame for m. The body is encoded once and wrapped in the envelope as it
// is: a page of events is most of a megabyte, and a second pass over it is a real cost.
func Encode(m Message) ([]byte, error) {
	d, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", m.Type(), err)
	}
	head := envelopeHead(m.Type())
	b := make([]byte, 0, len(head)+len(d)+1)
	b = append(append(append(b, head...), d...), '}')
	return b, nil
}

// envelopeHead is how every frame of type t begins: {"t":"<t>","d":
func envelopeHead(t string) string {
	q, _ := json.Marshal(t)
	return `{"t":` + string(q) + `,"d":`
}

// Decode parses and validates one frame. Errors wrap ErrMalformed, ErrUnknownType,
// ErrTooLarge or ErrInvalid, so a receiver can pick the close code with CloseCodeFor.
func Decode(frame []byte) (Message, error) {
	if len(frame) > MaxFrameBytes {
		return nil, fmt.Errorf("decode: %d bytes: %w", len(frame), ErrTooLarge)
	}
	m, ok := decodeExact(frame)
	if !ok {
		var err error
		if m, err = decodeAny(frame); err != nil {
			return nil, err
		}
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("decode %s: %w", m.Type(), err)
	}
	return m, nil
}

// decodeAny parses a frame of any valid JSON layout.
func decodeAny(frame []byte) (Message, error) {
	var env envelope
	if err := json.Unmarshal(frame, &env); err != nil {
		return nil, fmt.Errorf("decode envelope: %w: %v", ErrMalformed, err)
	}
	m := newMessage(env.T)
	if m == nil {
		return nil, fmt.Errorf("decode %.32q: %w", env.T, ErrUnknownType)
	}
	if len(env.D) == 0 || bytes.Equal(env.D, []byte("null")) {
		return nil, fmt.Errorf("decode %s: no body: %w", env.T, ErrMalformed)
	}
	if err := json.Unmarshal(env.D, m); err != nil {
		return nil, fmt.Errorf("decode %s: %w: %v", env.T, ErrMalformed, err)
	}
	return m, nil
}

// decodeExact decodes a frame laid out exactly as Encode writes it, {"t":"<type>","d":BODY},
// reading the body once. Anything else (other spacing or key order, a bad body) is left to
// the general path, which reports the error.
func decodeExact(frame []byte) (Message, bool) {
	const open = `{"t":"`
	if len(frame) < 2 || frame[len(frame)-1] != '}' || !bytes.HasPrefix(frame, []byte(open)) {
		return nil, false
	}
	end := bytes.IndexByte(frame[len(open):], '"')
	if end < 0 {
		return nil, false
	}
	t := string(frame[len(open) : len(open)+end])
	m := newMessage(t) // type names need no escaping, so the name is the bytes up to the quote
	head := envelopeHead(t)
	if m == nil || !bytes.HasPrefix(frame, []byte(head)) {
		return nil, false
	}
	body := frame[len(head) : len(frame)-1]
	if len(body) == 0 || body[0] != '{' || json.Unmarshal(body, m) != nil {
		return nil, false
	}
	return m, true
}

// WriteMessage encodes m and writes it to w as one frame.
func WriteMessage(w io.Writer, m Message) error {
	b, err := Encode(m)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", m.Type(), err)
	}
	return nil
}

// ReadMessage reads one whole frame from r (a WebSocket message reader) and decodes it. It
// never reads more than MaxFrameBytes+1 bytes.
func ReadMessage(r io.Reader) (Message, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFrameBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	return Decode(b)
}

func checkID(field, s string, required bool) error {
	if required && s == "" {
		return fmt.Errorf("%s missing: %w", field, ErrInvalid)
	}
	if len(s) > MaxIDBytes {
		return fmt.Errorf("%s %d bytes: %w", field, len(s), ErrTooLarge)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s not UTF-8: %w", field, ErrInvalid)
	}
	return nil
}

func checkText(field, s string) error {
	if len(s) > MaxMessageBytes {
		return fmt.Errorf("%s %d bytes: %w", field, len(s), ErrTooLarge)
	}
	return nil
}

// ValidateEvent checks the fields of an event that the sync layer relies on.
func ValidateEvent(e *domain.Event) error {
	if err := checkID("event id", e.ID, true); err != nil {
		return err
	}
	if err := checkID("event device", e.Device, true); err != nil {
		return err
	}
	for _, f := range []struct{ n, v string }{{"station", e.Station}, {"stream", e.Stream}, {"kind", string(e.Kind)}} {
		if err := checkID(f.n, f.v, false); err != nil {
			return err
		}
	}
	if e.DevSeq < 0 || e.HubSeq < 0 {
		return fmt.Errorf("event %s: negative sequence: %w", e.ID, ErrInvalid)
	}
	if len(e.Data) > MaxEventData {
		return fmt.Errorf("event %s data %d bytes: %w", e.ID, len(e.Data), ErrTooLarge)
	}
	return nil
}

func (m *Challenge) Validate() error {
	if len(m.Nonce) != NonceBytes {
		return fmt.Errorf("nonce %d bytes: %w", len(m.Nonce), ErrInvalid)
	}
	return nil
}

func (m *Hello) Validate() error {
	if err := checkID("device", m.Device, true); err != nil {
		return err
	}
	if len(m.Sig) != 64 {
		return fmt.Errorf("signature %d bytes: %w", len(m.Sig), ErrInvalid)
	}
	return checkText("app version", m.AppVersion)
}

func (m *Welcome) Validate() error {
	if err := checkID("epoch", m.Epoch, true); err != nil {
		return err
	}
	if m.LastSeq < 0 || m.LastDevSeq < 0 {
		return fmt.Errorf("negative sequence: %w", ErrInvalid)
	}
	return checkID("station", m.Station, false)
}

func (m *Upload) Validate() error {
	if len(m.Facts) > MaxBatchFacts {
		return fmt.Errorf("%d facts: %w", len(m.Facts), ErrTooLarge)
	}
	for i := range m.Facts {
		if err := ValidateEvent(&m.Facts[i]); err != nil {
			return err
		}
		if i > 0 && m.Facts[i].DevSeq <= m.Facts[i-1].DevSeq {
			return fmt.Errorf("facts not ascending at %d: %w", i, ErrInvalid)
		}
	}
	return nil
}

func (m *Ack) Validate() error {
	if m.LastDevSeq < 0 || m.LastSeq < 0 || m.Applied < 0 || m.Duplicates < 0 {
		return fmt.Errorf("negative count: %w", ErrInvalid)
	}
	return nil
}

func (m *Pull) Validate() error {
	if err := checkID("epoch", m.Epoch, false); err != nil {
		return err
	}
	if m.After < 0 || m.Limit < 0 {
		return fmt.Errorf("negative cursor or limit: %w", ErrInvalid)
	}
	return nil
}

func (m *Events) Validate() error {
	if err := checkID("epoch", m.Epoch, true); err != nil {
		return err
	}
	if len(m.Events) > MaxPageEvents {
		return fmt.Errorf("%d events: %w", len(m.Events), ErrTooLarge)
	}
	if m.After < 0 || m.Upto < m.After {
		return fmt.Errorf("range (%d, %d]: %w", m.After, m.Upto, ErrInvalid)
	}
	prev := m.After
	for i := range m.Events {
		e := &m.Events[i]
		if err := ValidateEvent(e); err != nil {
			return err
		}
		if e.HubSeq <= prev || e.HubSeq > m.Upto {
			return fmt.Errorf("event %d seq %d outside (%d, %d]: %w", i, e.HubSeq, prev, m.Upto, ErrInvalid)
		}
		prev = e.HubSeq
	}
	return nil
}

func (m *Heartbeat) Validate() error {
	h := m.Health
	for _, s := range []string{h.Reader, h.Scanner, h.Version, h.Role} {
		if err := checkText("health field", s); err != nil {
			return err
		}
	}
	return nil
}

func (m *Beat) Validate() error { return nil }

func (m *Error) Validate() error {
	if m.Code == "" {
		return fmt.Errorf("error code missing: %w", ErrInvalid)
	}
	if err := checkText("error code", m.Code); err != nil {
		return err
	}
	if err := checkText("error message", m.Message); err != nil {
		return err
	}
	if err := checkID("error reason", m.Reason, false); err != nil {
		return err
	}
	if m.DevSeq < 0 || m.LastDevSeq < 0 {
		return fmt.Errorf("negative sequence: %w", ErrInvalid)
	}
	if err := checkID("fact", m.Fact, false); err != nil {
		return err
	}
	return checkID("epoch", m.Epoch, false)
}
