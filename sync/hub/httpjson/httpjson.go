// Package httpjson is how the hub's HTTP APIs (the device API and the console) read and
// write JSON bodies, so that both answer alike.
package httpjson

import (
	"encoding/json"
	"errors"
	"net/http"
)

// Write answers with status and v as JSON, never cached. HTML characters are left as they
// are: the bodies are data for scripts, and Chinese text stays readable in a capture.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client may have gone; nothing useful to do about it
}

// Decode reads one JSON value of at most max bytes from the request body into v, refusing
// unknown fields and anything after the value.
func Decode(r *http.Request, v any, max int64) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, max))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON body")
	}
	return nil
}
