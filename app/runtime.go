package app

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// This is the only file of the app that touches the Wails runtime.

// WailsEmitter emits events into the window through the Wails runtime. Its context is the one
// Wails hands to OnStartup; until then events are dropped (there is no window to show them).
type WailsEmitter struct {
	ctx context.Context
}

// Attach sets the Wails context.
func (w *WailsEmitter) Attach(ctx context.Context) { w.ctx = ctx }

// Emit implements Emitter.
func (w *WailsEmitter) Emit(name string, payload any) {
	if w.ctx == nil {
		return
	}
	runtime.EventsEmit(w.ctx, name, payload)
}

// Quit closes the window.
func (w *WailsEmitter) Quit() {
	if w.ctx != nil {
		runtime.Quit(w.ctx)
	}
}

// Reload reloads the window's page (the frontend starts again from its entry point).
func (w *WailsEmitter) Reload() {
	if w.ctx != nil {
		runtime.WindowReloadApp(w.ctx)
	}
}
