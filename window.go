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

// runWindow opens the role's window and blocks until it closes.
func runWindow(ctx context.Context, st *app.Station, cfg app.Config, log *slog.Logger) error {
	w, h, title := 1080, 1920, "人大代表联络站 · 触摸屏"
	if cfg.Role == "wall" {
		w, h, title = 1920, 1080, "人大代表联络站 · 大屏"
	}
	emitter := &app.WailsEmitter{}
	st.SetEmitter(emitter)
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
			st.Start(ctx)
			go func() {
				// Ctrl-C or SIGTERM closes the window like the close button does.
				<-ctx.Done()
				emitter.Quit()
			}()
		},
		OnShutdown: func(context.Context) { st.Stop() },
		Bind:       st.Services(),
		Linux: &linux.Options{
			ProgramName:      "liaison-station",
			WebviewGpuPolicy: linux.WebviewGpuPolicyNever,
		},
	})
}
