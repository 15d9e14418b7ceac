package console

import (
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// The console app is the frontend's second entry: console.html with the bundles in assets/,
// built with relative asset URLs (base './'). Every path under /console/ that is not an asset
// gets console.html, so the app's own routes survive a reload; an asset is found by what
// follows the last "/assets/" of the path, so a page at any depth finds its bundles. The
// representatives' phone workspace is the third entry, rep.html, served the same way at /m/.

const (
	consoleHTML = "console.html"
	repHTML     = "rep.html"
)

const notBuilt = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>控制台未构建</title></head>
<body><h1>控制台未构建（make hub 构建）</h1>
<p>这个 liaison-hub 程序没有包含网页控制台。请用 <code>make hub</code> 构建，它会先构建前端并将其嵌入程序。</p>
<p>The console was not built into this binary: build it with <code>make hub</code>.</p></body></html>
`

// cspConsole: the app loads only its own bundles and talks only to its own origin.
const cspConsole = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// spaHandler serves the app whose page is page (consoleHTML or repHTML) and the shared bundles.
func spaHandler(assets fs.FS, page string) http.Handler {
	built := false
	if assets != nil {
		if st, err := fs.Stat(assets, page); err == nil && !st.IsDir() {
			built = true
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		if !built {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(notBuilt))
			return
		}
		if i := strings.LastIndex(r.URL.Path, "/assets/"); i >= 0 {
			name := path.Clean("assets/" + r.URL.Path[i+len("/assets/"):])
			if st, err := fs.Stat(assets, name); err == nil && !st.IsDir() && strings.HasPrefix(name, "assets/") {
				// Bundle names carry a content hash: they never change.
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				http.ServeFileFS(w, r, assets, name)
				return
			}
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", cspConsole)
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		b, err := fs.ReadFile(assets, page)
		if err != nil {
			http.Error(w, "app unavailable", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(b)
	})
}
