//go:build production

// Package frontend holds the built frontend for the Go programs that serve it: the hub embeds
// it to serve the console at /console/.
package frontend

import "embed"

// Dist is the frontend's build output (dist/: console.html, index.html, assets/), embedded
// in release builds (`-tags production`, after `make frontend`).
//
//go:embed all:dist
var Dist embed.FS
