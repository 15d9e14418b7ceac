//go:build !production

// Package frontend holds the built frontend for the Go programs that serve it: the hub embeds
// it to serve the console at /console/.
package frontend

import "embed"

// Dist is empty in development and test builds, which then need no built frontend: the hub
// serves a page saying the console was not built.
var Dist embed.FS
