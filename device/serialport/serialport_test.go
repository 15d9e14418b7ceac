package serialport

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/creack/pty"
)

func TestListPorts(t *testing.T) {
	t.Parallel()
	dev := t.TempDir()
	sys := t.TempDir()
	mk := func(p string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"ttyUSB0", "ttyUSB1", "ttyACM0", "ttyS0", "ttyS1", "tty0", "null"} {
		mk(filepath.Join(dev, n))
	}
	mk(filepath.Join(sys, "ttyS1", "device", "driver"))
	byID := filepath.Join(dev, "serial", "by-id")
	if err := os.MkdirAll(byID, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(byID, "usb-Vendor_IDReader-if00-port0")
	if err := os.Symlink(filepath.Join(dev, "ttyUSB1"), link); err != nil {
		t.Fatal(err)
	}

	got := listPorts(dev, sys)
	want := []string{
		link,
		filepath.Join(dev, "ttyUSB0"),
		filepath.Join(dev, "ttyACM0"),
		filepath.Join(dev, "ttyS1"),
	}
	if !slices.Equal(got, want) {
		t.Fatalf("listPorts = %q, want %q", got, want)
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	b := Backoff{Min: 100 * time.Millisecond, Max: time.Second}
	var last time.Duration
	for i := range 20 {
		d := b.Next()
		if d < 80*time.Millisecond || d > 1200*time.Millisecond {
			t.Fatalf("step %d: delay %v outside jittered bounds", i, d)
		}
		last = d
	}
	if last < 800*time.Millisecond {
		t.Fatalf("delay did not grow to the cap: %v", last)
	}
	b.Reset()
	if d := b.Next(); d > 120*time.Millisecond {
		t.Fatalf("after Reset delay = %v, want about Min", d)
	}
}

func TestPumpOverPipe(t *testing.T) {
	t.Parallel()
	r, w := io.Pipe()
	pm := StartPump(pipePort{r, w}, nil)
	go func() {
		_, _ = w.Write([]byte("abc"))
		_, _ = w.Write([]byte("def"))
		_ = w.CloseWithError(errors.New("cable cut"))
	}()
	var got []byte
	for c := range pm.C() {
		got = append(got, c.Data...)
	}
	if string(got) != "abcdef" {
		t.Fatalf("pumped %q", got)
	}
	if err := pm.Err(); err == nil || err.Error() != "cable cut" {
		t.Fatalf("Err = %v, want cable cut", err)
	}
}

type pipePort struct {
	*io.PipeReader
	w *io.PipeWriter
}

func (p pipePort) Write(b []byte) (int, error) { return p.w.Write(b) }

func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skip("no /dev/ptmx")
	}
	m, s, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	return m, s
}

func TestOpenPtyTimeoutAndClose(t *testing.T) {
	t.Parallel()
	m, s := openPty(t)
	defer m.Close()
	defer s.Close()
	p, err := Open(s.Name(), 115200, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	if n, err := p.Read(buf); n != 0 || !errors.Is(err, ErrTimeout) {
		t.Fatalf("idle Read = %d, %v; want 0, ErrTimeout", n, err)
	}
	if _, err := m.Write([]byte("hi")); err != nil {
		t.Fatal(err)
	}
	n, err := p.Read(buf)
	if err != nil || string(buf[:n]) != "hi" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
	if _, err := p.Write([]byte("ok")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 2)
	if _, err := io.ReadFull(m, got); err != nil || string(got) != "ok" {
		t.Fatalf("master read %q, %v", got, err)
	}

	// Close while a Read is blocked must return, and the Read must end.
	readDone := make(chan error, 1)
	go func() {
		_, err := p.Read(buf)
		readDone <- err
	}()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-readDone:
	case <-time.After(5 * time.Second):
		t.Fatal("Read still blocked after Close")
	}
}

func TestOpenMissingPort(t *testing.T) {
	t.Parallel()
	_, err := Open(filepath.Join(t.TempDir(), "ttyUSB9"), 115200, 0)
	if err == nil {
		t.Fatal("Open of a missing path succeeded")
	}
}

func TestHangupIsDisconnect(t *testing.T) {
	t.Parallel()
	m, s := openPty(t)
	p, err := Open(s.Name(), 115200, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_ = s.Close()
	_ = m.Close()
	pm := StartPump(p, nil)
	select {
	case <-pm.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("pump still running after the pty went away")
	}
	if err := pm.Err(); err == nil {
		t.Fatal("pump ended without an error after hangup")
	}
}
