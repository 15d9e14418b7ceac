// Package cli holds the technician's device commands. They need no window: the station's
// main package hands them its arguments before any GUI starts.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"liaison/device/idcard"
	"liaison/device/scanner"
	"liaison/device/serialport"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1 // the device failed, or no card came in time
	ExitUsage = 2
)

// simPort is the --port value that starts a built-in simulator instead of opening a device.
const simPort = "sim"

const usage = `usage:
  idcard --port PATH|sim [--baud N] [--timeout D] [--sample KEY]   read one ID card, print it as JSON
  ports                                                             list candidate serial ports
  scan --port PATH|sim [--baud N] [--idle-gap D]                    print each QR scan as a JSON line
`

// Main runs one technician command. args starts with the command name (idcard, ports, scan).
// It returns the process exit code; output goes to stdout, messages to stderr.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "idcard":
		return runIDCard(ctx, args[1:], stdout, stderr)
	case "ports":
		for _, p := range serialport.ListPorts() {
			fmt.Fprintln(stdout, p)
		}
		return ExitOK
	case "scan":
		return runScan(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return ExitOK
	default:
		fmt.Fprintf(stderr, "unknown command %q\n%s", args[0], usage)
		return ExitUsage
	}
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func runIDCard(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("idcard", stderr)
	port := fs.String("port", "", "serial port of the reader, or \"sim\" for the built-in simulator")
	baud := fs.Int("baud", 115200, "baud rate")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for a card")
	sample := fs.String("sample", "resident", "simulator card: "+strings.Join(sampleKeys(), ", "))
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *port == "" {
		fmt.Fprintln(stderr, "idcard: --port is required (see the ports command)")
		return ExitUsage
	}
	path := *port
	if path == simPort {
		card, ok := idcard.SampleCards()[*sample]
		if !ok {
			fmt.Fprintf(stderr, "idcard: unknown sample %q (have %s)\n", *sample, strings.Join(sampleKeys(), ", "))
			return ExitUsage
		}
		sim, err := idcard.StartSimulator(slog.New(slog.DiscardHandler))
		if err != nil {
			fmt.Fprintf(stderr, "idcard: 无法启动模拟读卡器: %v\n", err)
			return ExitError
		}
		defer sim.Close()
		sim.Place(card)
		path = sim.Path()
	}
	p, err := serialport.Open(path, *baud, 0)
	if err != nil {
		fmt.Fprintf(stderr, "idcard: 无法打开读卡器串口: %v\n", err)
		return ExitError
	}
	defer p.Close()

	rctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	card, err := idcard.ReadOnce(rctx, p)
	if err != nil {
		msg := idcard.Describe(err)
		if errors.Is(err, context.DeadlineExceeded) {
			msg = fmt.Sprintf("%s（%s 内未读到证件）", msg, *timeout)
		}
		fmt.Fprintf(stderr, "idcard: %s: %v\n", msg, err)
		return ExitError
	}
	if err := json.NewEncoder(stdout).Encode(card); err != nil {
		fmt.Fprintf(stderr, "idcard: write output: %v\n", err)
		return ExitError
	}
	return ExitOK
}

func sampleKeys() []string {
	var keys []string
	for k := range idcard.SampleCards() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// scanLine is one line of the scan command's output.
type scanLine struct {
	Text string `json:"text"`
	At   string `json:"at"`
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("scan", stderr)
	port := fs.String("port", "", "serial port of the scanner, or \"sim\" for the built-in simulator")
	baud := fs.Int("baud", scanner.DefaultBaud, "baud rate")
	idleGap := fs.Duration("idle-gap", scanner.DefaultIdleGap, "silence that ends a scan without a suffix")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *port == "" {
		fmt.Fprintln(stderr, "scan: --port is required (see the ports command)")
		return ExitUsage
	}
	path := *port
	var sim *scanner.Simulator
	if path == simPort {
		var err error
		if sim, err = scanner.StartSimulator(slog.New(slog.DiscardHandler)); err != nil {
			fmt.Fprintf(stderr, "scan: 无法启动模拟扫码器: %v\n", err)
			return ExitError
		}
		defer sim.Close()
		path = sim.Path()
	}
	sc := scanner.NewScanner(scanner.Config{Port: path, IdleGap: *idleGap},
		func() (serialport.Port, error) { return serialport.Open(path, *baud, 0) }, nil)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = sc.Run(ctx)
	}()
	enc := json.NewEncoder(stdout)
	var last serialport.State
	demoSent := false
	for {
		select {
		case <-ctx.Done():
			<-done
			return ExitOK
		case <-sc.StatusChanged():
			st := sc.Status()
			if st.State != last {
				last = st.State
				fmt.Fprintf(stderr, "scan: %s %s %s\n", st.State, st.Port, st.LastError)
			}
			if sim != nil && st.State == serialport.StateOK && !demoSent {
				demoSent = true
				_ = sim.Send("LIAISON-DEMO 联络站扫码测试")
			}
		case s := <-sc.Scans():
			if err := enc.Encode(scanLine{Text: s.Text, At: s.At.Format(time.RFC3339)}); err != nil {
				fmt.Fprintf(stderr, "scan: write output: %v\n", err)
				cancel()
				<-done
				return ExitError
			}
		}
	}
}
