package domain

import (
	"errors"
	"maps"
	"slices"
	"strings"
)

// ErrNotFound is returned by stores when a case, resident or reference item does not exist.
var ErrNotFound = errors.New("not found")

// Error is an error a person may be told about: a stable code (registered in codes.go) and
// the parameters its message needs. It holds no wording: the side that shows it words it
// from its own catalogue (the station's frontend, or sync/text on the hub). Err is the cause,
// for logs only.
type Error struct {
	Code   string
	Params map[string]string
	Err    error
}

// Error is English and meant for logs: the code, its parameters in order, and the cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if len(e.Params) > 0 {
		b.WriteString(" (")
		for i, k := range slices.Sorted(maps.Keys(e.Params)) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k + "=" + e.Params[k])
		}
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches another *Error by code, so a bare NewError(code) works as a sentinel:
// errors.Is(err, NewError(CodeNotFound)).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// NewError makes an Error from a code and key/value pairs of parameters. An odd trailing key
// is dropped: a parameter without a value would only show as a hole in the message.
func NewError(code string, kv ...string) *Error {
	e := &Error{Code: code}
	if len(kv) >= 2 {
		e.Params = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			e.Params[kv[i]] = kv[i+1]
		}
	}
	return e
}

// WrapError is NewError with a cause kept for the log.
func WrapError(err error, code string, kv ...string) *Error {
	e := NewError(code, kv...)
	e.Err = err
	return e
}

// AsError finds the outermost *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// ErrorCode is the code of the outermost *Error in err's chain, "" when there is none.
func ErrorCode(err error) string {
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return ""
}
