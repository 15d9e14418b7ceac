package idcard

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"liaison/device/serialport"
)

// BenchmarkReadToEvent measures the time from the arrival of the last byte of the base-read
// response (CardEvent.ReadAt, stamped when the port read returned) to the consumer holding
// the CardEvent: frame assembly, checksum, text parsing and the channel hand-off. The device
// is a net.Pipe fake that presents a new card serial on every select, so every poll reads.
func BenchmarkReadToEvent(b *testing.B) {
	full := syntheticFrame(b)
	var mu sync.Mutex
	sn := 0
	port, _ := startFake(b, func(c Command) [][]byte {
		switch [2]byte{c.Cmd, c.Para} {
		case [2]byte{0x11, 0xFF}:
			return [][]byte{status(0x90)}
		case [2]byte{0x20, 0x01}:
			return [][]byte{EncodeResponse(Response{SW3: 0x9F, Data: make([]byte, 4)})}
		case [2]byte{0x20, 0x02}:
			mu.Lock()
			sn++
			s := sn
			mu.Unlock()
			return [][]byte{EncodeResponse(Response{SW3: 0x90, Data: []byte{0, 0, 0, 0, 0, 0, byte(s >> 8), byte(s)}})}
		case [2]byte{0x30, 0x01}:
			return [][]byte{full}
		}
		return [][]byte{status(0x21)}
	})
	opened := false
	r := NewReader(Config{PollInterval: time.Millisecond}, func() (serialport.Port, error) {
		if opened {
			return nil, errors.New("benchmark port used once")
		}
		opened = true
		return port, nil
	}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = r.Run(ctx) }()

	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		ev := <-r.Events()
		for ev.Removed {
			ev = <-r.Events()
		}
		lat = append(lat, time.Since(ev.ReadAt))
	}
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "µs-median")
		b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "µs-p99")
	}
}
