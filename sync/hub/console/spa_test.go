package console_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"liaison/sync/hub/console"
)

func TestConsoleAppServing(t *testing.T) {
	t.Parallel()
	assets := fstest.MapFS{
		"console.html":           {Data: []byte(`<!doctype html><script src="./assets/console-1a2b.js"></script>`)},
		"assets/console-1a2b.js": {Data: []byte(`console.log("console")`)},
		"rep.html":               {Data: []byte(`<!doctype html><script src="./assets/rep-3c4d.js"></script>`)},
		"assets/rep-3c4d.js":     {Data: []byte(`console.log("rep")`)},
	}
	mux := http.NewServeMux()
	console.New(console.Config{Assets: assets}, nil, nil).Mount(mux)
	cases := []struct {
		path, want string
		status     int
	}{
		{"/console/", "console-1a2b.js", 200},
		{"/console/cases/HX01-K1-20261123-0001", "console-1a2b.js", 200}, // the app's own route
		{"/console/assets/console-1a2b.js", `console.log("console")`, 200},
		{"/console/cases/assets/console-1a2b.js", `console.log("console")`, 200},
		{"/console/assets/missing.js", "", 404},
		{"/console/assets/../console.html", "", 307}, // cleaned by the mux first
		{"/console", "", 301},
		// the representatives' phone workspace
		{"/m/", "rep-3c4d.js", 200},
		{"/m/cases/HX01-K1-20261123-0001", "rep-3c4d.js", 200},
		{"/m/assets/rep-3c4d.js", `console.log("rep")`, 200},
		{"/m/assets/console-1a2b.js", `console.log("console")`, 200}, // the bundles are shared
		{"/m", "", 301},
	}
	for _, tc := range cases {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
		if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.want) {
			t.Errorf("%s: %d %q", tc.path, w.Code, w.Body.String())
		}
	}
}
