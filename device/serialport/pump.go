package serialport

import (
	"errors"
	"sync"
	"time"
)

// Chunk is a run of bytes as it came off the port, with the instant the read returned.
type Chunk struct {
	Data []byte
	At   time.Time
}

// Pump reads a Port on its own goroutine and hands the bytes over a channel, so that drivers
// can wait for data with their own timeouts and cancellation whatever the Port's Read does
// (a tty times out, a pipe blocks until closed).
type Pump struct {
	c    chan Chunk
	stop chan struct{}
	once sync.Once
	done chan struct{}
	err  error // set before done is closed
}

// StartPump starts reading p. now stamps each chunk; nil means time.Now.
func StartPump(p Port, now func() time.Time) *Pump {
	if now == nil {
		now = time.Now
	}
	pm := &Pump{c: make(chan Chunk, 64), stop: make(chan struct{}), done: make(chan struct{})}
	go pm.run(p, now)
	return pm
}

func (pm *Pump) run(p Port, now func() time.Time) {
	defer close(pm.done)
	defer close(pm.c)
	buf := make([]byte, 4096)
	for {
		n, err := p.Read(buf)
		if n > 0 {
			data := make([]byte, n)
			copy(data, buf[:n])
			select {
			case pm.c <- Chunk{Data: data, At: now()}:
			case <-pm.stop:
				return
			}
		}
		if err != nil && !errors.Is(err, ErrTimeout) {
			pm.err = err
			return
		}
		select {
		case <-pm.stop:
			return
		default:
		}
	}
}

// C delivers the chunks; it is closed when the port fails or Stop was called.
func (pm *Pump) C() <-chan Chunk { return pm.c }

// Done is closed after the reading goroutine has ended.
func (pm *Pump) Done() <-chan struct{} { return pm.done }

// Err is the error that ended reading (nil after Stop). Valid once Done is closed.
func (pm *Pump) Err() error {
	<-pm.done
	return pm.err
}

// Stop asks the pump to end. It does not close the port; the goroutine ends when its current
// Read returns, so close the port too when it is blocking.
func (pm *Pump) Stop() {
	pm.once.Do(func() { close(pm.stop) })
}
