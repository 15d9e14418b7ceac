//go:build tools

// Package tools pins the Wails CLI used to regenerate the frontend bindings.
// Wails v2.9.2 asks for a golang.org/x/tools that no longer builds on current Go,
// so this separate module requires a newer one.
package tools

import _ "github.com/wailsapp/wails/v2/cmd/wails"
