// Package pdftext reads back the text of the PDFs the hub writes with fpdf, so tests check what
// a printed page says rather than that some bytes are there. It knows the subset of PDF that
// fpdf writes: numbered objects, Flate-compressed streams, standard fonts with literal
// strings, and Type0 fonts (the bundled CJK font) whose strings are UTF-16BE code points.
package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf16"
)

var (
	objRE      = regexp.MustCompile(`(?s)(\d+) 0 obj(.*?)endobj`)
	fontDictRE = regexp.MustCompile(`(?s)/Font\s*<<(.*?)>>`)
	fontRefRE  = regexp.MustCompile(`/(\w+)\s+(\d+) 0 R`)
)

// Text returns the strings the pages show, in the order of the content streams, one after
// the other: text set in runs of two fonts (Chinese and digits) reads as written.
func Text(pdf []byte) (string, error) {
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return "", errors.New("pdftext: not a PDF")
	}
	type object struct {
		dict   string
		stream []byte
	}
	objs := map[string]object{}
	var order []string // the objects in the file's order: pages come in order
	for _, m := range objRE.FindAllSubmatch(pdf, -1) {
		body := m[2]
		o := object{dict: string(body)}
		if i := bytes.Index(body, []byte("stream")); i >= 0 && !bytes.HasPrefix(body[i-3:], []byte("endstream")) {
			o.dict = string(body[:i])
			data := body[i+len("stream"):]
			data = bytes.TrimPrefix(bytes.TrimPrefix(data, []byte("\r")), []byte("\n"))
			if j := bytes.LastIndex(data, []byte("endstream")); j >= 0 {
				data = bytes.TrimRight(data[:j], "\r\n")
			}
			if strings.Contains(o.dict, "/FlateDecode") {
				r, err := zlib.NewReader(bytes.NewReader(data))
				if err != nil {
					return "", fmt.Errorf("pdftext: object %s: %w", m[1], err)
				}
				if data, err = io.ReadAll(r); err != nil {
					return "", fmt.Errorf("pdftext: object %s: %w", m[1], err)
				}
			}
			o.stream = data
		}
		objs[string(m[1])] = o
		order = append(order, string(m[1]))
	}
	// which resource names are Type0 fonts
	wide := map[string]bool{}
	for _, o := range objs {
		for _, fd := range fontDictRE.FindAllStringSubmatch(o.dict, -1) {
			for _, ref := range fontRefRE.FindAllStringSubmatch(fd[1], -1) {
				if f, ok := objs[ref[2]]; ok && strings.Contains(f.dict, "/Type0") {
					wide[ref[1]] = true
				}
			}
		}
	}
	var out strings.Builder
	for _, n := range order {
		o := objs[n]
		if o.stream == nil || !bytes.Contains(o.stream, []byte("BT")) || !strings.Contains(o.dict, "/Length") ||
			strings.Contains(o.dict, "/Subtype") {
			continue
		}
		shown(o.stream, wide, &out)
	}
	return out.String(), nil
}

// shown scans a content stream: names select fonts (Tf), literal strings are shown (Tj, TJ).
func shown(s []byte, wide map[string]bool, out *strings.Builder) {
	font, lastName := "", ""
	var strs [][]byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(':
			str, n := literal(s[i:])
			strs = append(strs, str)
			i += n - 1
		case c == '/':
			j := i + 1
			for j < len(s) && isRegular(s[j]) {
				j++
			}
			lastName = string(s[i+1 : j])
			i = j - 1
		case isRegular(c):
			j := i
			for j < len(s) && isRegular(s[j]) {
				j++
			}
			switch string(s[i:j]) {
			case "Tf":
				font = lastName
			case "Tj", "TJ":
				for _, str := range strs {
					out.WriteString(decode(str, wide[font]))
				}
				strs = strs[:0]
			case "BT", "ET":
				strs = strs[:0]
			}
			i = j - 1
		}
	}
}

func isRegular(c byte) bool {
	return !strings.ContainsRune(" \t\r\n\f\x00()<>[]{}/%", rune(c))
}

// literal reads a literal string at the start of s (with its parentheses), returning its bytes
// and the length read.
func literal(s []byte) ([]byte, int) {
	var b []byte
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			default:
				if e >= '0' && e <= '7' {
					v, k := 0, 0
					for ; k < 3 && i+k < len(s) && s[i+k] >= '0' && s[i+k] <= '7'; k++ {
						v = v*8 + int(s[i+k]-'0')
					}
					b = append(b, byte(v))
					i += k - 1
				} else {
					b = append(b, e)
				}
			}
		case c == '(':
			if depth > 0 {
				b = append(b, c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return b, i + 1
			}
			b = append(b, c)
		default:
			b = append(b, c)
		}
	}
	return b, len(s)
}

func decode(b []byte, wide bool) string {
	if !wide {
		return string(b) // the standard fonts' text is ASCII here
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}
