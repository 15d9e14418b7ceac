package console

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFontsCSSServesTheBundledFontRulesOnce(t *testing.T) {
	noto := `@font-face{font-family:Noto Sans SC;font-weight:400;src:url(./noto-sans-sc-5-400-normal-ab.woff2) format("woff2");unicode-range:U+fee3}`
	inline := `@font-face{font-family:Noto Sans SC;font-weight:400;src:url(data:font/woff2;base64,d09G) format("woff2");unicode-range:U+1f1e9}`
	other := `@font-face{font-family:Other;src:url(./other.woff2)}`
	assets := fstest.MapFS{
		"assets/preload-helper-x.css": {Data: []byte(noto + inline + other + `body{font-family:'Noto Sans SC'}`)},
		"assets/console-y.css":        {Data: []byte(`.a{color:red}` + noto)},
		"assets/noto.woff2":           {Data: []byte("font")},
	}
	rec := httptest.NewRecorder()
	fontsCSS(assets).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fontsCSSPath, nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/css; charset=utf-8" {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	got := rec.Body.String()
	want := strings.Replace(noto, "url(./", "url(/console/assets/", 1) + "\n" + inline + "\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFontsCSSIsNotFoundWithoutABuiltFrontend(t *testing.T) {
	for _, assets := range []fstest.MapFS{nil, {"assets/index.css": {Data: []byte("body{margin:0}")}}} {
		rec := httptest.NewRecorder()
		var h http.Handler
		if assets == nil {
			h = fontsCSS(nil)
		} else {
			h = fontsCSS(assets)
		}
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fontsCSSPath, nil))
		if rec.Code != http.StatusNotFound {
			t.Fatalf("status %d without the font's rules", rec.Code)
		}
	}
}
