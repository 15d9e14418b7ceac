package app

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"liaison/sync/client"
)

// Services are the structs bound to the frontend, one per audience. main builds each with
// what it needs; Bind lists them for the window and for the bindings generator.
type Services struct {
	System     *System
	Kiosk      *Kiosk
	Wall       *Wall
	Technician *Technician
	Rep        *Rep
	Activities *Activities
}

// Bind returns the services in the form options.App.Bind takes.
func (s Services) Bind() []any {
	return []any{s.System, s.Kiosk, s.Wall, s.Technician, s.Rep, s.Activities}
}

// Background runs the station's loops: the device drivers and what listens to them, the sync
// client, and the watchers that push status changes to the screen. It is not bound.
type Background struct {
	Devices *Devices       // nil or empty when there are none
	Sync    *client.Client // nil when not paired
	Kiosk   *Kiosk         // takes the card reader's cards
	Rep     *Rep           // takes the scanner's scans
	Wall    *Wall          // its hot-word work is stopped with the rest
	Desk    *Desk
	Status  StatusSource
	Notify  *Notifier
	Log     *slog.Logger

	started  atomic.Bool
	stopOnce sync.Once
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// Start starts the devices and the sync client. It returns at once.
func (b *Background) Start(ctx context.Context) {
	if !b.started.CompareAndSwap(false, true) {
		return
	}
	if b.Log == nil {
		b.Log = slog.New(slog.DiscardHandler)
	}
	ctx, b.cancel = context.WithCancel(ctx)
	if d := b.Devices; d != nil && d.Reader != nil {
		b.goRun("idcard", func() { _ = d.Reader.Run(ctx) })
		b.goRun("idcard-events", func() { b.Kiosk.readCards(ctx, d.Reader.Events()) })
		b.goRun("idcard-status", func() { b.watchStatus(ctx, d.Reader.StatusChanged()) })
	}
	if d := b.Devices; d != nil && d.Scanner != nil {
		b.goRun("scanner", func() { _ = d.Scanner.Run(ctx) })
		b.goRun("scanner-events", func() { b.Rep.readScans(ctx, d.Scanner.Scans()) })
		b.goRun("scanner-status", func() { b.watchStatus(ctx, d.Scanner.StatusChanged()) })
	}
	if c := b.Sync; c != nil {
		b.goRun("sync", func() { _ = c.Run(ctx) })
		b.goRun("sync-status", func() { b.watchStatus(ctx, c.Changed()) })
	}
}

// Stop stops what Start started and waits for it, stops the wall's background work and
// ends the sessions, so that the store can be closed.
func (b *Background) Stop() {
	b.stopOnce.Do(func() {
		if b.cancel != nil {
			b.cancel()
		}
		b.wg.Wait()
		if b.Wall != nil {
			b.Wall.hot.stop()
		}
		if b.Desk != nil {
			b.Desk.Close()
		}
		b.Devices.Close()
	})
}

func (b *Background) goRun(name string, f func()) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		f()
		b.Log.Debug("stopped", "worker", name)
	}()
}

// watchStatus pushes every state change to the screen.
func (b *Background) watchStatus(ctx context.Context, changed <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
			b.Notify.Emit(EventStatusChanged, b.Status.Status(ctx))
		}
	}
}
