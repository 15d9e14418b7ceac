package scanner

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"liaison/device/serialport"
)

func TestSplitter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		chunks []string
		want   []string
		rest   string
		max    int
	}{
		{"crlf", []string{"abc\r\ndef\r\n"}, []string{"abc", "", "def", ""}, "", 0},
		{"cr only", []string{"abc\rdef\r"}, []string{"abc", "def"}, "", 0},
		{"lf only", []string{"abc\n"}, []string{"abc"}, "", 0},
		{"split across reads", []string{"ab", "c\r", "\nde"}, []string{"abc", ""}, "de", 0},
		{"no suffix", []string{"https://example.invalid/x?y=1"}, nil, "https://example.invalid/x?y=1", 0},
		{"bounded", []string{"0123456789"}, []string{"01234567"}, "89", 8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &splitter{max: tc.max}
			var got []string
			for _, c := range tc.chunks {
				for _, p := range s.feed([]byte(c)) {
					got = append(got, string(p))
				}
			}
			if rest := string(s.flush()); !slices.Equal(got, tc.want) || rest != tc.rest {
				t.Fatalf("got %q rest %q", got, rest)
			}
		})
	}
}

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"ascii", []byte("LS-1234"), "LS-1234"},
		{"utf8 chinese", []byte("联络站签到"), "联络站签到"},
		{"gbk chinese", gbk(t, "联络站签到"), "联络站签到"},
		{"stx etx framing", []byte("\x02ABC\x03"), "ABC"},
		{"utf8 bom", []byte("\xEF\xBB\xBF测试"), "测试"},
		{"spaces kept", []byte(" a b "), " a b "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := decode(tc.raw); got != tc.want {
				t.Fatalf("decode = %q, want %q", got, tc.want)
			}
		})
	}
	if !isFailure(" %%noread ", DefaultFailureMarkers) || isFailure("NoReader", DefaultFailureMarkers) {
		t.Fatal("failure marker matching is wrong")
	}
}

type pipePort struct {
	*io.PipeReader
	w *io.PipeWriter
}

func (p pipePort) Write(b []byte) (int, error) { return len(b), nil }
func (p pipePort) Close() error                { return p.PipeReader.Close() }

func nextScan(t *testing.T, s *Scanner) Scan {
	t.Helper()
	select {
	case sc := <-s.Scans():
		return sc
	case <-time.After(10 * time.Second):
		t.Fatal("no scan")
		return Scan{}
	}
}

func runScanner(t *testing.T, s *Scanner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return")
		}
	})
}

func TestScannerOverPipe(t *testing.T) {
	t.Parallel()
	r, w := io.Pipe()
	fixed := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	s := NewScanner(Config{Port: "pipe", IdleGap: 30 * time.Millisecond, Now: func() time.Time { return fixed }},
		func() (serialport.Port, error) { return pipePort{r, w}, nil }, nil)
	runScanner(t, s)

	writes := [][]byte{
		[]byte("BADGE:rep-1\r\n"),
		[]byte("%%NoRead\r\n"),
		[]byte("\r\n\r\n"),
		[]byte("ACT:"), []byte("42\r"),
		gbk(t, "张三测试"), []byte("\n"),
		[]byte("no-suffix-payload"),
	}
	go func() {
		for _, b := range writes {
			if _, err := w.Write(b); err != nil {
				return
			}
		}
	}()
	for _, want := range []string{"BADGE:rep-1", "ACT:42", "张三测试", "no-suffix-payload"} {
		sc := nextScan(t, s)
		if sc.Text != want || !sc.At.Equal(fixed) {
			t.Fatalf("scan %+v, want %q", sc, want)
		}
	}
	st := s.Status()
	if st.Scans != 4 || st.Errors != 1 || st.State != serialport.StateOK || !st.LastScanAt.Equal(fixed) {
		t.Fatalf("status %+v", st)
	}
}

func TestScannerReconnects(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var writers []*io.PipeWriter
	opens := 0
	s := NewScanner(Config{Port: "/dev/ttyACM0", BackoffMin: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond},
		func() (serialport.Port, error) {
			mu.Lock()
			defer mu.Unlock()
			opens++
			if opens == 1 {
				return nil, errors.New("no such device")
			}
			r, w := io.Pipe()
			writers = append(writers, w)
			return pipePort{r, w}, nil
		}, nil)
	runScanner(t, s)
	waitOpens := func(n int) *io.PipeWriter {
		deadline := time.Now().Add(10 * time.Second)
		for {
			mu.Lock()
			if len(writers) >= n {
				w := writers[n-1]
				mu.Unlock()
				return w
			}
			mu.Unlock()
			if time.Now().After(deadline) {
				t.Fatalf("port not opened %d times", n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	w := waitOpens(1)
	_ = w.CloseWithError(errors.New("unplugged"))
	w = waitOpens(2)
	go func() { _, _ = w.Write([]byte("after-replug\n")) }()
	if sc := nextScan(t, s); sc.Text != "after-replug" {
		t.Fatalf("scan %q", sc.Text)
	}
	if st := s.Status(); st.Errors < 2 {
		t.Fatalf("errors %d, want the failed open and the lost port", st.Errors)
	}
}

func TestScannerPtySimulator(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skip("no /dev/ptmx")
	}
	sim, err := StartSimulator(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	s := NewScanner(Config{Port: sim.Path()}, func() (serialport.Port, error) {
		return serialport.Open(sim.Path(), DefaultBaud, 100*time.Millisecond)
	}, nil)
	runScanner(t, s)
	deadline := time.Now().Add(10 * time.Second)
	for s.Status().State != serialport.StateOK {
		if time.Now().After(deadline) {
			t.Fatal("scanner never connected")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := sim.Send("https://hub.example.invalid/c/abc?t=1"); err != nil {
		t.Fatal(err)
	}
	if sc := nextScan(t, s); sc.Text != "https://hub.example.invalid/c/abc?t=1" {
		t.Fatalf("scan %q", sc.Text)
	}
	sim.SetSuffix("")
	if err := sim.SendRaw(gbk(t, "代表签到")); err != nil {
		t.Fatal(err)
	}
	if sc := nextScan(t, s); sc.Text != "代表签到" {
		t.Fatalf("idle-gap scan %q", sc.Text)
	}
}
