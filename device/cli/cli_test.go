package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"liaison/device/idcard"
	"liaison/device/scanner"
)

func needPty(t *testing.T) {
	t.Helper()
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skip("no /dev/ptmx")
	}
}

func TestIDCardEachSample(t *testing.T) {
	t.Parallel()
	needPty(t)
	for key, sample := range idcard.SampleCards() {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			want, err := idcard.ParseText(sample.Text)
			if err != nil {
				t.Fatal(err)
			}
			wantJSON, _ := json.Marshal(want)
			var out, errOut bytes.Buffer
			code := Main(context.Background(), []string{"idcard", "--port", "sim", "--sample", key, "--timeout", "10s"}, &out, &errOut)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if got := strings.TrimSpace(out.String()); got != string(wantJSON) {
				t.Fatalf("\n got %s\nwant %s", got, wantJSON)
			}
		})
	}
}

// TestIDCardOverSimulatorPath opens the simulator's pty by path, as a technician would a port.
func TestIDCardOverSimulatorPath(t *testing.T) {
	t.Parallel()
	needPty(t)
	sim, err := idcard.StartSimulator(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	sim.Place(idcard.SampleCards()["resident"])
	var out, errOut bytes.Buffer
	code := Main(context.Background(), []string{"idcard", "--port", sim.Path(), "--baud", "115200"}, &out, &errOut)
	want := `{"card_type":"resident","name":"测试","gender":"女","nation":"汉","birth_date":"1949-12-31","address":"北京市朝阳区","id_number":"11010519491231002X","id_number_valid":true,"issuer":"北京市公安局朝阳分局","valid_from":"2020-01-01","valid_until":"","long_term":true}`
	if code != ExitOK || strings.TrimSpace(out.String()) != want {
		t.Fatalf("exit %d out %s err %s", code, out.String(), errOut.String())
	}
}

func TestIDCardFailures(t *testing.T) {
	t.Parallel()
	needPty(t)
	sim, err := idcard.StartSimulator(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no card before timeout", []string{"idcard", "--port", sim.Path(), "--timeout", "700ms"}, ExitError, "超时"},
		{"missing port", []string{"idcard", "--port", "/dev/nonexistent-tty"}, ExitError, "无法打开读卡器串口"},
		{"no port flag", []string{"idcard"}, ExitUsage, "--port is required"},
		{"unknown sample", []string{"idcard", "--port", "sim", "--sample", "passport"}, ExitUsage, "unknown sample"},
		{"unknown command", []string{"frobnicate"}, ExitUsage, "unknown command"},
		{"no command", nil, ExitUsage, "usage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Main(context.Background(), tc.args, &out, &errOut)
			if code != tc.code || !strings.Contains(errOut.String(), tc.msg) || out.Len() != 0 {
				t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errOut.String())
			}
			if tc.code == ExitError && strings.Count(strings.TrimSpace(errOut.String()), "\n") != 0 {
				t.Fatalf("message is not one line: %q", errOut.String())
			}
		})
	}
}

func TestPorts(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := Main(context.Background(), []string{"ports"}, &out, &errOut); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line != "" && !strings.HasPrefix(line, "/dev/") {
			t.Fatalf("unexpected port line %q", line)
		}
	}
}

// syncBuffer lets the test read what Main writes from another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitForOutput(t *testing.T, b *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("output never contained %q; have %q", want, b.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestScan(t *testing.T) {
	t.Parallel()
	needPty(t)
	sim, err := scanner.StartSimulator(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sim.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	codeC := make(chan int, 1)
	go func() { codeC <- Main(ctx, []string{"scan", "--port", sim.Path()}, &out, &errOut) }()
	waitForOutput(t, &errOut, "scan: ok")
	if err := sim.Send("BADGE:测试代表"); err != nil {
		t.Fatal(err)
	}
	waitForOutput(t, &out, "BADGE")
	cancel()
	if code := <-codeC; code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var line scanLine
	if err := json.Unmarshal([]byte(strings.TrimSpace(out.String())), &line); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if _, err := time.Parse(time.RFC3339, line.At); err != nil || line.Text != "BADGE:测试代表" {
		t.Fatalf("line %+v (%v)", line, err)
	}
}

func TestScanSimDemo(t *testing.T) {
	t.Parallel()
	needPty(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	codeC := make(chan int, 1)
	go func() { codeC <- Main(ctx, []string{"scan", "--port", "sim"}, &out, &errOut) }()
	waitForOutput(t, &out, "LIAISON-DEMO")
	cancel()
	if code := <-codeC; code != ExitOK {
		t.Fatalf("exit %d", code)
	}
}
