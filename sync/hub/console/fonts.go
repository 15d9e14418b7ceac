package console

import (
	"bytes"
	"io/fs"
	"net/http"
	"regexp"
	"sync"
)

// The hub's own pages (a case's status page, a representative's page, check-in and sign-up
// forms) are written by the server, not by the frontend build, and would otherwise draw
// Chinese with whatever fonts the phone has, boxes on one without any. /console/fonts.css
// gives them the bundled font: the built frontend's @font-face rules of the font, with their
// files addressed under /console/assets/ (small ones are inlined by the build as data: URLs).

// fontsCSSPath is where the hub serves the rules.
const fontsCSSPath = "/console/fonts.css"

// bundledFontName is the family of the bundled font (frontend/src/styles/fonts.ts).
const bundledFontName = "Noto Sans SC"

var fontFaceRule = regexp.MustCompile(`@font-face\{[^}]*\}`)

// fontFaces collects the bundled font's @font-face rules from the built stylesheets, each once.
func fontFaces(assets fs.FS) []byte {
	if assets == nil {
		return nil
	}
	names, err := fs.Glob(assets, "assets/*.css")
	if err != nil {
		return nil
	}
	var out bytes.Buffer
	seen := map[string]bool{}
	for _, name := range names {
		css, err := fs.ReadFile(assets, name)
		if err != nil {
			continue
		}
		for _, rule := range fontFaceRule.FindAll(css, -1) {
			if !bytes.Contains(rule, []byte(bundledFontName)) || seen[string(rule)] {
				continue
			}
			seen[string(rule)] = true
			out.Write(bytes.ReplaceAll(rule, []byte("url(./"), []byte("url(/console/assets/")))
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// fontsCSS serves the rules fontFaces found, read once; 404 when the frontend is not built.
func fontsCSS(assets fs.FS) http.Handler {
	rules := sync.OnceValue(func() []byte { return fontFaces(assets) })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		css := rules()
		if len(css) == 0 {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(css)
	})
}
