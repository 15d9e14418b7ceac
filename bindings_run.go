package main

import (
	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"

	"liaison/app"
)

// runBindings hands Wails the bound services with nothing started, for `wails generate module`.
func runBindings() int {
	err := wails.Run(&options.App{Bind: (&app.Station{}).Services()})
	if err != nil {
		return 1
	}
	return 0
}
