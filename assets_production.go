//go:build production

package main

import "embed"

// The built frontend is embedded only in release builds, so that tests and development builds
// work on a fresh clone without building it first.
//
//go:embed all:frontend/dist
var assets embed.FS
