package app

import (
	"context"
	"errors"
	"sync"

	"liaison/device/idcard"
)

// errProbeBusy: another test read is waiting for the same device.
var errProbeBusy = errors.New("a test read is already waiting")

// probe lends the next card or scan to the technician screen (a test read, pairing by a QR)
// instead of the kiosk's flows: while it waits, a card opens no session and a scan opens no
// workbench.
type probe struct {
	cards lend[idcard.Card]
	scans lend[string]
}

// lend hands the next value offered to the one waiting for it, if any.
type lend[T any] struct {
	mu sync.Mutex
	ch chan T
}

// arm starts waiting: the next value offered goes to the returned channel until release.
func (l *lend[T]) arm() (<-chan T, func(), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ch != nil {
		return nil, nil, errProbeBusy
	}
	ch := make(chan T, 1)
	l.ch = ch
	release := func() {
		l.mu.Lock()
		if l.ch == ch {
			l.ch = nil
		}
		l.mu.Unlock()
	}
	return ch, release, nil
}

// wait returns the next value offered before ctx ends; then is called once it waits (to
// make a simulator produce the value).
func (l *lend[T]) wait(ctx context.Context, then func()) (T, error) {
	var zero T
	ch, release, err := l.arm()
	if err != nil {
		return zero, err
	}
	defer release()
	if then != nil {
		then()
	}
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// offer gives v to the one waiting and reports whether it was taken.
func (l *lend[T]) offer(v T) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ch == nil {
		return false
	}
	select {
	case l.ch <- v:
		l.ch = nil
		return true
	default:
		return false
	}
}
