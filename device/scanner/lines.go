package scanner

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// splitter cuts a byte stream into payloads at CR or LF. A CRLF pair yields one payload and
// an empty one, which the caller drops with the other empty lines.
type splitter struct {
	buf []byte
	max int
}

// feed appends b and returns the payloads it completed. A run longer than max without a
// terminator is cut there, so a scanner stuck sending cannot grow memory without bound.
func (s *splitter) feed(b []byte) [][]byte {
	var out [][]byte
	for _, c := range b {
		if c == '\r' || c == '\n' {
			out = append(out, s.take())
			continue
		}
		s.buf = append(s.buf, c)
		if s.max > 0 && len(s.buf) >= s.max {
			out = append(out, s.take())
		}
	}
	return out
}

// flush returns whatever is pending; the idle gap calls it for scanners with no suffix.
func (s *splitter) flush() []byte { return s.take() }

func (s *splitter) pending() bool { return len(s.buf) > 0 }

func (s *splitter) take() []byte {
	p := bytes.Clone(s.buf)
	s.buf = s.buf[:0]
	return p
}

// decode turns a raw payload into text: UTF-8 when it is valid UTF-8, else GBK (older
// scanners and many Chinese QR generators emit GBK). Framing characters some scanners add
// (STX/ETX, a UTF-8 byte-order mark) are trimmed.
func decode(raw []byte) string {
	raw = bytes.Trim(raw, "\x02\x03\r\n")
	raw = bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))
	if utf8.Valid(raw) {
		return string(raw)
	}
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
	if err != nil || !utf8.Valid(out) {
		return strings.ToValidUTF8(string(raw), "\uFFFD")
	}
	return string(out)
}

// isFailure reports whether text is a "could not decode" marker rather than a payload.
func isFailure(text string, markers []string) bool {
	t := strings.TrimSpace(text)
	for _, m := range markers {
		if strings.EqualFold(t, m) {
			return true
		}
	}
	return false
}
