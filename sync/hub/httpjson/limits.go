package httpjson

import (
	"io"
	"net/http"
	"time"
)

// Request bodies and slow transfers. The server's middleware bounds every request body to
// DefaultMaxBody. A handler that takes a file (an update package, a photo, a spreadsheet)
// sets its own bound with LimitBody, which replaces the default instead of reading through
// it, and gives a large body time to arrive. A handler that sends a large file gives it time
// with AllowTransfer; the server's read and write timeouts stay the bound of everything else.
const (
	DefaultMaxBody = 64 << 10 // bytes of any request body unless its handler says otherwise

	// MinTransferRate is the slowest link a large upload or download must still finish on:
	// such a transfer gets BaseTransferTime plus its size at this rate (an 8 MiB file:
	// 2 min 38 s; a 100 MiB package: 27 min).
	MinTransferRate  = 64 << 10 // bytes per second
	BaseTransferTime = 30 * time.Second
)

// bounded is a request body with a bound, remembering the body it bounds so that a later
// bound replaces this one.
type bounded struct {
	io.ReadCloser
	raw io.ReadCloser
}

// LimitBody bounds r's body to n bytes, replacing any bound set before (by the middleware);
// reading past it fails with *http.MaxBytesError. Call it before reading the body. A bound
// above DefaultMaxBody also gives the request time to arrive: see AllowTransfer.
func LimitBody(w http.ResponseWriter, r *http.Request, n int64) {
	raw := r.Body
	if b, ok := raw.(*bounded); ok {
		raw = b.raw
	}
	r.Body = &bounded{ReadCloser: http.MaxBytesReader(w, raw, n), raw: raw}
	if n > DefaultMaxBody {
		AllowTransfer(w, n)
	}
}

// AllowTransfer moves the connection's read and write deadlines so that n bytes can cross it
// at MinTransferRate from now, after BaseTransferTime. Writers that cannot set deadlines (a
// test's recorder) are left as they are.
func AllowTransfer(w http.ResponseWriter, n int64) {
	d := BaseTransferTime + time.Duration(n)*time.Second/MinTransferRate
	at := time.Now().Add(d)
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(at)
	_ = rc.SetWriteDeadline(at)
}
