package protocol

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"liaison/sync/domain"
)

func sampleEvent(seq int64) domain.Event {
	return domain.Event{
		ID: "0190a0b0-0000-7000-8000-00000000000" + string(rune('0'+seq%10)), Device: "dev-1", DevSeq: seq,
		Station: "HX01", Stream: "case-1", Kind: domain.KindCaseSubmitted,
		At:    time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC),
		Actor: domain.Actor{Role: domain.RoleResident, ID: "r1", Name: "张*"},
		Data:  json.RawMessage(`{"text":"测试"}`), HubSeq: seq,
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		msg  Message
	}{
		{"challenge", &Challenge{V: 1, Nonce: bytes.Repeat([]byte{7}, 32), HubTime: at}},
		{"hello", &Hello{V: 1, Device: "dev-1", Sig: bytes.Repeat([]byte{1}, 64), AppVersion: "1.0.0"}},
		{"welcome", &Welcome{Epoch: "e1", LastSeq: 9, LastDevSeq: 3, Station: "HX01", HubTime: at, Heartbeat: 20}},
		{"upload", &Upload{Batch: 4, Facts: []domain.Event{sampleEvent(1), sampleEvent(2)}}},
		{"ack", &Ack{Batch: 4, Applied: 1, Duplicates: 1, LastDevSeq: 2, LastSeq: 10}},
		{"pull", &Pull{Epoch: "e1", After: 5, Limit: 500}},
		{"events", &Events{Epoch: "e1", After: 0, Upto: 7, LastSeq: 9, More: true, Events: []domain.Event{sampleEvent(1), sampleEvent(2)}}},
		{"heartbeat", &Heartbeat{SentAt: at, Health: Health{Reader: "ok", Scanner: "absent", Outbox: 3, SkewMS: -420, Version: "1.0.0"}}},
		{"beat", &Beat{HubTime: at, Echo: at}},
		{"error", &Error{Code: ErrCodeSeqGap, Message: "gap", Batch: 2, LastDevSeq: 5}},
		{"fact refused", &Error{Code: ErrCodeFactRefused, Message: "wrong station", Batch: 3, LastDevSeq: 6, Fact: "f-6", DevSeq: 6}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteMessage(&buf, tc.msg); err != nil {
				t.Fatalf("write: %v", err)
			}
			got, err := ReadMessage(&buf)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if !reflect.DeepEqual(got, tc.msg) {
				t.Fatalf("round trip:\n got %#v\nwant %#v", got, tc.msg)
			}
		})
	}
}

// The wire shape is the contract with other implementations: pin it byte for byte.
func TestGoldenFrames(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		msg  Message
		want string
	}{
		{"pull", &Pull{Epoch: "e1", After: 5, Limit: 500}, `{"t":"pull","d":{"epoch":"e1","after":5,"limit":500}}`},
		{"ack", &Ack{Batch: 1, Applied: 2, LastDevSeq: 2, LastSeq: 8},
			`{"t":"ack","d":{"batch":1,"applied":2,"duplicates":0,"last_dev_seq":2,"last_seq":8}}`},
		{"error", &Error{Code: "seq_gap", LastDevSeq: 4}, `{"t":"error","d":{"code":"seq_gap","last_dev_seq":4}}`},
		{"fact refused", &Error{Code: "fact_refused", Batch: 2, LastDevSeq: 4, Fact: "f4", DevSeq: 4},
			`{"t":"error","d":{"code":"fact_refused","batch":2,"last_dev_seq":4,"fact":"f4","dev_seq":4}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, err := Encode(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.want {
				t.Fatalf("got  %s\nwant %s", b, tc.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	many := make([]domain.Event, MaxBatchFacts+1)
	for i := range many {
		many[i] = sampleEvent(int64(i + 1))
	}
	tooMany, _ := json.Marshal(envelope{T: TypeUpload, D: mustJSON(t, Upload{Facts: many})})
	big := sampleEvent(1)
	big.Data = json.RawMessage(`"` + strings.Repeat("x", MaxEventData) + `"`)
	bigData, _ := json.Marshal(envelope{T: TypeUpload, D: mustJSON(t, Upload{Facts: []domain.Event{big}})})
	unordered, _ := json.Marshal(envelope{T: TypeUpload, D: mustJSON(t, Upload{Facts: []domain.Event{sampleEvent(2), sampleEvent(1)}})})
	outside, _ := json.Marshal(envelope{T: TypeEvents, D: mustJSON(t, Events{Epoch: "e", After: 1, Upto: 1, Events: []domain.Event{sampleEvent(2)}})})
	cases := []struct {
		name  string
		frame string
		want  error
		code  CloseCode
	}{
		{"empty", ``, ErrMalformed, CloseMalformed},
		{"not json", `hello`, ErrMalformed, CloseMalformed},
		{"truncated", `{"t":"pull","d":{"epoch":"e1"`, ErrMalformed, CloseMalformed},
		{"unknown type", `{"t":"shutdown","d":{}}`, ErrUnknownType, CloseProtocol},
		{"no body", `{"t":"pull"}`, ErrMalformed, CloseMalformed},
		{"null body", `{"t":"pull","d":null}`, ErrMalformed, CloseMalformed},
		{"wrong field type", `{"t":"pull","d":{"after":"x"}}`, ErrMalformed, CloseMalformed},
		{"negative cursor", `{"t":"pull","d":{"after":-1}}`, ErrInvalid, CloseMalformed},
		{"short nonce", `{"t":"challenge","d":{"v":1,"nonce":"AAAA"}}`, ErrInvalid, CloseMalformed},
		{"hello without device", `{"t":"hello","d":{"v":1,"sig":"` + strings.Repeat("A", 86) + `=="}}`, ErrInvalid, CloseMalformed},
		{"long device", `{"t":"hello","d":{"device":"` + strings.Repeat("d", 200) + `"}}`, ErrTooLarge, CloseTooLarge},
		{"too many facts", string(tooMany), ErrTooLarge, CloseTooLarge},
		{"data too large", string(bigData), ErrTooLarge, CloseTooLarge},
		{"facts out of order", string(unordered), ErrInvalid, CloseMalformed},
		{"event outside page", string(outside), ErrInvalid, CloseMalformed},
		{"error with negative sequence", `{"t":"error","d":{"code":"fact_refused","dev_seq":-1}}`, ErrInvalid, CloseMalformed},
		{"error with long fact id", `{"t":"error","d":{"code":"fact_refused","fact":"` + strings.Repeat("f", 200) + `"}}`, ErrTooLarge, CloseTooLarge},
		{"frame too large", strings.Repeat(" ", MaxFrameBytes+1), ErrTooLarge, CloseTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Decode([]byte(tc.frame))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if c := CloseCodeFor(err); c != tc.code {
				t.Fatalf("close code %v, want %v", c, tc.code)
			}
		})
	}
}

func TestReadMessageStopsAtLimit(t *testing.T) {
	t.Parallel()
	r := io.MultiReader(strings.NewReader(`{"t":"pull","d":{"epoch":"`), &endless{})
	if _, err := ReadMessage(r); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

type endless struct{}

func (*endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReconnect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code CloseCode
		want Reconnect
	}{
		{CloseGoingAway, ReconnectSoon}, {CloseShutdown, ReconnectSoon},
		{CloseAuthTimeout, ReconnectBackoff}, {CloseMalformed, ReconnectBackoff},
		{CloseSlowConsumer, ReconnectBackoff}, {CloseTooBig, ReconnectBackoff},
		{CloseBadSignature, ReconnectLater}, {CloseBusy, ReconnectLater}, {CloseReplaced, ReconnectLater},
		{CloseUnknownDevice, ReconnectNever}, {CloseRevoked, ReconnectNever}, {CloseVersion, ReconnectNever},
		{CloseCode(1006), ReconnectBackoff},
	}
	for _, tc := range cases {
		t.Run(tc.code.String(), func(t *testing.T) {
			t.Parallel()
			if got := tc.code.Reconnect(); got != tc.want {
				t.Fatalf("%v: got %v, want %v", tc.code, got, tc.want)
			}
		})
	}
}

func TestHelloSignature(t *testing.T) {
	t.Parallel()
	pub, key, _ := ed25519.GenerateKey(nil)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	nonce, err := NewNonce()
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewNonce()
	h := SignHello(key, nonce, "dev-1", "1.0")
	renamed := *h
	renamed.Device = "dev-2"
	cases := []struct {
		name  string
		pub   ed25519.PublicKey
		nonce []byte
		hello *Hello
		want  bool
	}{
		{"valid", pub, nonce, h, true},
		{"other nonce (replay)", pub, other, h, false},
		{"other key", otherPub, nonce, h, false},
		{"other device id", pub, nonce, &renamed, false},
		{"short key", pub[:10], nonce, h, false},
		{"short nonce", pub, nonce[:5], h, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := VerifyHello(tc.pub, tc.nonce, tc.hello); got != tc.want {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, m := range []Message{
		&Pull{Epoch: "e", After: 1, Limit: 2},
		&Upload{Batch: 1, Facts: []domain.Event{sampleEvent(1)}},
		&Events{Epoch: "e", Upto: 3, Events: []domain.Event{sampleEvent(2)}},
		&Hello{V: 1, Device: "d", Sig: make([]byte, 64)},
	} {
		b, _ := Encode(m)
		f.Add(b)
	}
	f.Add([]byte(`{"t":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		// The one-pass path for Encode's own layout agrees with the general one.
		if fast, ok := decodeExact(b); ok {
			slow, err := decodeAny(b)
			if err != nil {
				t.Fatalf("only the fast path accepts %q: %v", b, err)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("paths disagree on %q:\n%#v\n%#v", b, fast, slow)
			}
		}
		m, err := Decode(b)
		if err != nil {
			if m != nil {
				t.Fatal("message with error")
			}
			return
		}
		// Whatever decodes must encode and decode to the same value.
		again, err := Encode(m)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		m2, err := Decode(again)
		if err != nil {
			t.Fatalf("decode re-encoded: %v", err)
		}
		if m2.Type() != m.Type() {
			t.Fatalf("type changed %s → %s", m.Type(), m2.Type())
		}
	})
}
