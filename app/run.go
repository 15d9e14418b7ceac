package app

import (
	"context"
	"errors"
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
// client, and the watchers that push status changes to the screen. It is not bound. The
// technician screen restarts the drivers (other ports) and the sync link (after pairing)
// while the station runs (StationControl).
type Background struct {
	Devices *DeviceSet     // the devices in use; empty when there are none
	Sync    *client.Client // nil when not paired
	// NewSync makes the sync client of a new enrolment (after pairing on the technician
	// screen) and tells the status and the notifier about it; nil when there is no store.
	NewSync func(id Identity) *client.Client
	Kiosk   *Kiosk // takes the card reader's cards
	Rep     *Rep   // takes the scanner's scans
	Wall    *Wall  // its hot-word work is stopped with the rest
	Desk    *Desk
	Status  StatusSource
	Notify  *Notifier
	Log     *slog.Logger

	mu       sync.Mutex // the parts below, and restarts one at a time
	ctx      context.Context
	devices  part
	syncPart part
	started  atomic.Bool
	stopOnce sync.Once
	cancel   context.CancelFunc
}

// part is a group of goroutines that stop together.
type part struct {
	cancel context.CancelFunc
	wg     sync.WaitGroup
	done   chan struct{} // closed when the main loop of the part returned
}

func (p *part) stop() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
	p.cancel = nil
}

// Start starts the devices and the sync client. It returns at once.
func (b *Background) Start(ctx context.Context) {
	if !b.started.CompareAndSwap(false, true) {
		return
	}
	if b.Log == nil {
		b.Log = slog.New(slog.DiscardHandler)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ctx, b.cancel = context.WithCancel(ctx)
	b.startDevicesLocked()
	b.startSyncLocked()
}

func (b *Background) startDevicesLocked() {
	ctx, cancel := context.WithCancel(b.ctx)
	b.devices = part{cancel: cancel}
	p := &b.devices
	d := b.Devices.Get()
	if d.Reader != nil {
		b.goRun(p, "idcard", func() { _ = d.Reader.Run(ctx) })
		b.goRun(p, "idcard-events", func() { b.Kiosk.readCards(ctx, d.Reader.Events()) })
		b.goRun(p, "idcard-status", func() { b.watchStatus(ctx, d.Reader.StatusChanged()) })
	}
	if d.Scanner != nil {
		b.goRun(p, "scanner", func() { _ = d.Scanner.Run(ctx) })
		b.goRun(p, "scanner-events", func() { b.Rep.readScans(ctx, d.Scanner.Scans()) })
		b.goRun(p, "scanner-status", func() { b.watchStatus(ctx, d.Scanner.StatusChanged()) })
	}
}

func (b *Background) startSyncLocked() {
	c := b.Sync
	if c == nil {
		return
	}
	ctx, cancel := context.WithCancel(b.ctx)
	b.syncPart = part{cancel: cancel, done: make(chan struct{})}
	done := b.syncPart.done
	b.goRun(&b.syncPart, "sync", func() {
		defer close(done)
		if err := c.Run(ctx); err != nil {
			b.Log.Warn("sync stopped", "err", err)
		}
	})
	b.goRun(&b.syncPart, "sync-status", func() { b.watchStatus(ctx, c.Changed()) })
}

// RestartDevices stops the drivers, opens the devices cfg names in their place and starts
// them: a technician chose other ports.
func (b *Background) RestartDevices(cfg Config) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil || b.ctx.Err() != nil {
		return errNotRunning
	}
	b.devices.stop()
	b.Devices.swap(OpenDevices(cfg, b.Log)).Close()
	b.startDevicesLocked()
	b.Log.Info("devices restarted", "reader", cfg.Reader, "scanner", cfg.Scanner)
	b.Notify.Emit(EventStatusChanged, b.Status.Status(b.ctx))
	return nil
}

// RestartSync starts the next session with the hub now: a wait between retries ends at once
// (Client.Wake); a link that is up, or a client that gave up (the hub refused the device), is
// started over.
func (b *Background) RestartSync() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil || b.ctx.Err() != nil {
		return errNotRunning
	}
	if b.Sync == nil {
		return errNoSync
	}
	running := b.syncPart.done != nil
	if running {
		select {
		case <-b.syncPart.done:
			running = false
		default:
		}
	}
	if running && b.Sync.Status().State == client.StateOffline {
		b.Sync.Wake()
		b.Log.Info("sync woken by the technician")
		return nil
	}
	b.syncPart.stop()
	b.startSyncLocked()
	b.Log.Info("sync restarted by the technician")
	return nil
}

// Repaired syncs under the new enrolment id from now on, in place of the old client.
func (b *Background) Repaired(id Identity) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ctx == nil || b.ctx.Err() != nil {
		return errNotRunning
	}
	if b.NewSync == nil {
		return errNoSync
	}
	b.syncPart.stop()
	b.Sync = b.NewSync(id)
	b.startSyncLocked()
	b.Notify.Emit(EventStatusChanged, b.Status.Status(b.ctx))
	return nil
}

var (
	errNotRunning = errors.New("station not running")
	errNoSync     = errors.New("not paired with a hub")
)

// Stop stops what Start started and waits for it, stops the wall's background work and
// ends the sessions, so that the store can be closed.
func (b *Background) Stop() {
	b.stopOnce.Do(func() {
		b.mu.Lock()
		if b.cancel != nil {
			b.cancel()
		}
		b.devices.stop()
		b.syncPart.stop()
		b.mu.Unlock()
		if b.Wall != nil {
			b.Wall.hot.stop()
		}
		if b.Desk != nil {
			b.Desk.Close()
		}
		b.Devices.Get().Close()
	})
}

func (b *Background) goRun(p *part, name string, f func()) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
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
