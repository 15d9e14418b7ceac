package main

import (
	"context"
	"log/slog"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"liaison/app"
)

// runWindow opens the role's window and blocks until it closes; ready is called once the
// window is up and the station started.
func runWindow(ctx context.Context, st *station, cfg app.Config, ready func(), log *slog.Logger) error {
	w, h, title := 1080, 1920, "人大代表联络站 · 触摸屏"
	if cfg.Role == "wall" {
		w, h, title = 1920, 1080, "人大代表联络站 · 大屏"
	}
	emitter := &app.WailsEmitter{}
	st.notify.SetEmitter(emitter)
	return wails.Run(&options.App{
		Title:            title,
		Width:            w,
		Height:           h,
		Fullscreen:       cfg.Fullscreen,
		Frameless:        cfg.Fullscreen,
		BackgroundColour: &options.RGBA{R: 12, G: 27, B: 51, A: 255},
		AssetServer:      &assetserver.Options{Assets: assets},
		OnStartup: func(wctx context.Context) {
			emitter.Attach(wctx)
			st.start(ctx)
			st.watch.Attach(emitter.Reload)
			go st.watch.Run(ctx)
			ready()
			go func() {
				// Ctrl-C or SIGTERM closes the window like the close button does.
				<-ctx.Done()
				emitter.Quit()
			}()
		},
		OnShutdown: func(context.Context) { st.bg.Stop() },
		Bind:       st.services.Bind(),
		Linux: &linux.Options{
			ProgramName:      "liaison-station",
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
}

// writeBindings hands Wails the bound services without building any of their dependencies:
// in a build with -tags bindings, wails.Run only writes the JavaScript and TypeScript bindings
// of their methods and types (into wailsjs/ of the wailsjsdir that wails.json in the working
// directory names) and returns.
func writeBindings() error {
	return wails.Run(&options.App{
		Bind: app.Services{
			System: &app.System{}, Kiosk: &app.Kiosk{}, Wall: &app.Wall{},
			Technician: &app.Technician{}, Rep: &app.Rep{}, Activities: &app.Activities{},
		}.Bind(),
	})
}
