package server

import (
	"bytes"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/sync/hub/httpjson"
)

// HTTP server limits. The sync endpoint's connections are hijacked: the WebSocket upgrade
// clears the deadlines net/http set on them (gorilla/websocket's Upgrade resets them), and
// each session sets its own per-frame deadlines, so ReadTimeout and WriteTimeout bound only
// ordinary requests (a test holds a session open past both).
const (
	DefaultReadHeaderTimeout = 5 * time.Second  // a client's request line and headers
	DefaultReadTimeout       = 30 * time.Second // the whole request, body included
	DefaultWriteTimeout      = 30 * time.Second // from the end of the headers to the end of the answer
	DefaultIdleTimeout       = 60 * time.Second // a kept-alive connection between requests
	DefaultMaxHeaderBytes    = 16 << 10         // request line and headers
	DefaultShutdownTimeout   = 15 * time.Second
)

// Headers every answer carries (pages set a stricter Content-Security-Policy of their own,
// always with frame-ancestors 'none').
const defaultCSP = "default-src 'none'; frame-ancestors 'none'"

// harden is the one middleware of every answer but the sync endpoint's: it bounds the request
// body (to httpjson.DefaultMaxBody; a handler taking a file raises its own with LimitBody), sets the security headers (no sniffing, no framing, no referrer, a strict default
// CSP) and makes sure what is sent as text is valid UTF-8, whatever a device or a person put
// into the data shown.
func harden(next http.Handler, sync string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == sync {
			next.ServeHTTP(w, r) // a WebSocket: hijacked, its frames are the protocol's business
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", defaultCSP)
		httpjson.LimitBody(w, r, httpjson.DefaultMaxBody) // a file upload sets its own
		sw := &utf8Writer{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		sw.finish()
	})
}

// utf8Writer replaces invalid UTF-8 in text answers (HTML, JSON, plain text) by U+FFFD. A
// rune split across two writes is held back until its end arrives.
type utf8Writer struct {
	http.ResponseWriter
	decided, text bool
	carry         []byte
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *utf8Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *utf8Writer) decide() {
	if w.decided {
		return
	}
	w.decided = true
	h := w.Header()
	ct := strings.ToLower(h.Get("Content-Type"))
	w.text = h.Get("Content-Encoding") == "" &&
		(ct == "" || strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "application/json"))
	if w.text {
		h.Del("Content-Length") // replacing bytes may change it
	}
}

func (w *utf8Writer) WriteHeader(code int) {
	w.decide()
	w.ResponseWriter.WriteHeader(code)
}

func (w *utf8Writer) Write(p []byte) (int, error) {
	w.decide()
	if !w.text {
		return w.ResponseWriter.Write(p)
	}
	buf := p
	if len(w.carry) > 0 {
		buf = append(w.carry, p...)
		w.carry = nil
	}
	// Hold back an incomplete rune at the end: its rest may come with the next write.
	cut := len(buf)
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				cut = i
			}
			break
		}
	}
	w.carry = append(w.carry, buf[cut:]...)
	out := buf[:cut]
	if !utf8.Valid(out) {
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	if _, err := w.ResponseWriter.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// finish writes what was held back: an incomplete rune at the end becomes U+FFFD.
func (w *utf8Writer) finish() {
	if len(w.carry) > 0 {
		_, _ = w.ResponseWriter.Write([]byte("\uFFFD"))
		w.carry = nil
	}
}
