package domain

import (
	"fmt"
	"unicode/utf8"
)

// checkJSONShape walks a payload that encoding/json already found well-formed and refuses
// what Go reads one way and the hub's SQLite JSON functions (or a later reader) another, or
// cannot read at all:
//
//   - nesting deeper than MaxFactDepth (SQLite's json functions give up at 1000, Go at 10000:
//     a deep payload would be admitted and then break every projection query over it);
//   - a key twice in one object (Go keeps the last, SQLite's json_extract the first);
//   - a string that is not valid UTF-8, holds a lone surrogate escape or a control character
//     other than tab, newline and carriage return.
//
// The top level must be an object. It never allocates except for keys with escapes.
func checkJSONShape(b []byte) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return factErr(CodeSchema, "data", "payload is not a JSON object")
	}
	// Each open object keeps its keys in one shared slice (payloads have a dozen keys at
	// most, so a linear look-up beats a map); frames remember where their keys begin.
	type frame struct {
		object bool
		keys   int // index into keys where this object's keys begin
	}
	var stack []frame
	var keys []string
	expectKey := false
	for i < len(b) {
		c := b[i]
		switch c {
		case '{', '[':
			if len(stack) >= MaxFactDepth {
				return factErr(CodeTooDeep, "data", fmt.Sprintf("nested deeper than %d", MaxFactDepth))
			}
			stack = append(stack, frame{object: c == '{', keys: len(keys)})
			expectKey = c == '{'
			i++
		case '}', ']':
			keys = keys[:stack[len(stack)-1].keys]
			stack = stack[:len(stack)-1]
			expectKey = false
			i++
		case ',':
			expectKey = len(stack) > 0 && stack[len(stack)-1].object
			i++
		case '"':
			end, key, err := scanString(b, i, expectKey)
			if err != nil {
				return err
			}
			if expectKey {
				for _, k := range keys[stack[len(stack)-1].keys:] {
					if k == key {
						return factErr(CodeSchema, "data", fmt.Sprintf("key %.40q given twice", key))
					}
				}
				keys = append(keys, key)
				expectKey = false
			}
			i = end
		default:
			i++
		}
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString checks the string starting at b[start] (a quote) and returns the index after its
// closing quote and, when decode is set, its decoded value (enough to compare keys).
func scanString(b []byte, start int, decode bool) (int, string, error) {
	i := start + 1
	var key []byte
	if decode {
		key = make([]byte, 0, 16)
	}
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			if !decode {
				return i + 1, "", nil
			}
			return i + 1, string(key), nil
		case c == '\\':
			if i+1 >= len(b) {
				return 0, "", factErr(CodeSchema, "data", "unterminated string")
			}
			if b[i+1] == 'b' || b[i+1] == 'f' {
				return 0, "", factErr(CodeBadText, "data", "control character in a string")
			}
			if b[i+1] != 'u' {
				if decode {
					key = append(key, unescape(b[i+1]))
				}
				i += 2
				continue
			}
			r, n, err := scanUnicodeEscape(b, i)
			if err != nil {
				return 0, "", err
			}
			if decode {
				key = utf8.AppendRune(key, r)
			}
			i += n
		case c < 0x20:
			return 0, "", factErr(CodeBadText, "data", "control character in a string")
		case c < utf8.RuneSelf:
			if decode {
				key = append(key, c)
			}
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size <= 1 {
				return 0, "", factErr(CodeBadText, "data", "string is not valid UTF-8")
			}
			if decode {
				key = append(key, b[i:i+size]...)
			}
			i += size
		}
	}
	return 0, "", factErr(CodeSchema, "data", "unterminated string")
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	}
	return c // " \ /
}

// scanUnicodeEscape reads \uXXXX (and the low half of a surrogate pair) at b[i] and returns
// the rune and the bytes read. A lone surrogate or an escaped control character is refused.
func scanUnicodeEscape(b []byte, i int) (rune, int, error) {
	r, ok := hex4(b, i+2)
	if !ok {
		return 0, 0, factErr(CodeSchema, "data", "bad \\u escape")
	}
	switch {
	case r >= 0xD800 && r < 0xDC00:
		lo, ok := hex4(b, i+8)
		if !ok || b[i+6] != '\\' || b[i+7] != 'u' || lo < 0xDC00 || lo > 0xDFFF {
			return 0, 0, factErr(CodeBadText, "data", "lone surrogate escape")
		}
		return 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00), 12, nil
	case r >= 0xDC00 && r <= 0xDFFF:
		return 0, 0, factErr(CodeBadText, "data", "lone surrogate escape")
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
		return 0, 0, factErr(CodeBadText, "data", "control character in a string")
	}
	return r, 6, nil
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}
