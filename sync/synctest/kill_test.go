package synctest

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"liaison/app/store"
	"liaison/sync/client"
	"liaison/sync/domain"
	"liaison/sync/hub/sqlitestore"
)

// envStation makes the test binary run as a station process (see stationProcess).
const envStation = "LIAISON_SYNCTEST_STATION"

func TestMain(m *testing.M) {
	if dir := os.Getenv(envStation); dir != "" {
		os.Exit(stationProcess(dir, os.Getenv("LIAISON_SYNCTEST_HUB")))
	}
	os.Exit(m.Run())
}

// identity is what pairing gave the station; the parent pairs and writes it before the first
// start, so a kill can never lose it.
type identity struct {
	Device  string `json:"device"`
	Station string `json:"station"`
	Key     []byte `json:"key"`
}

const identityFile = "identity.json"

// stationProcess is the station core in its own process: the real station store and sync
// client. It records a case submission every few milliseconds and prints "R <id>" only after
// Record returned (the fact is durable); on "stop" from stdin it stops recording and prints
// "SYNCED" once the hub has acknowledged everything. It runs until killed.
func stationProcess(dir, hubURL string) int {
	ctx := context.Background()
	b, err := os.ReadFile(filepath.Join(dir, identityFile))
	var id identity
	if err == nil {
		err = json.Unmarshal(b, &id)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "read identity:", err)
		return 2
	}
	st, err := store.Open(filepath.Join(dir, "station.db"), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open store:", err)
		return 2
	}
	c := client.New(client.Config{HubURL: hubURL, DeviceID: id.Device, AppVersion: "test", Role: "kiosk",
		BackoffMin: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond, RequestTimeout: 2 * time.Second,
		Heartbeat: 200 * time.Millisecond}, st, ed25519.PrivateKey(id.Key), slog.New(slog.DiscardHandler))
	go func() { _ = c.Run(ctx) }()
	stop := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(os.Stdin, 5)) // "stop\n" or EOF
		close(stop)
	}()
	for n := 0; ; n++ {
		select {
		case <-stop:
			return waitSynced(c)
		default:
		}
		data, _ := json.Marshal(domain.CaseSubmitted{Category: "road", Text: fmt.Sprintf("测试诉求 %d", n),
			Community: "测试社区", ResidentID: testResident, SurnameMask: "张*"})
		evs, err := st.Record(ctx, domain.Event{Kind: domain.KindCaseSubmitted, Stream: domain.NewEventID(),
			Actor: domain.Actor{Role: domain.RoleResident, ID: testResident, Name: "张*"}, Data: data})
		if err != nil || len(evs) != 1 {
			fmt.Fprintln(os.Stderr, "record:", err)
			return 2
		}
		fmt.Fprintf(os.Stdout, "R %s\n", evs[0].ID)
		c.Kick()
		time.Sleep(3 * time.Millisecond) // a kiosk records at human pace; this is brisk
	}
}

func waitSynced(c *client.Client) int {
	for {
		if s := c.Status(); s.State == client.StateConnected && s.Outbox == 0 {
			fmt.Fprintln(os.Stdout, "SYNCED")
			select {} // until killed
		}
		select {
		case <-c.Changed():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// moduleRoot is two directories up from this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return root
}

func buildHub(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "liaison-hub")
	cmd := exec.Command("go", "build", "-o", bin, "./sync/hub/cmd/liaison-hub")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build hub: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// proc is a child process killed with SIGKILL at the end of the test at the latest.
type proc struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func startProc(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *proc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

type killRig struct {
	t       *testing.T
	hubBin  string
	hubDir  string
	addr    string
	stDir   string
	hub     *proc
	station *proc
	stdin   io.WriteCloser

	mu       sync.Mutex
	recorded map[string]bool // facts the station reported as durable
	synced   chan struct{}
}

func (r *killRig) hubCmd(args ...string) *exec.Cmd {
	return exec.Command(r.hubBin, append(args, "--data", r.hubDir)...)
}

func (r *killRig) startHub() {
	r.t.Helper()
	cmd := r.hubCmd("serve", "--listen", r.addr)
	r.hub = startProc(r.t, cmd)
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + r.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-r.hub.done:
			r.t.Fatalf("hub exited on start")
		default:
		}
		if time.Now().After(deadline) {
			r.t.Fatal("hub did not come up")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var factLine = regexp.MustCompile(`^R ([0-9a-f-]{36})\n$`)

func (r *killRig) startStation() {
	r.t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envStation+"="+r.stDir, "LIAISON_SYNCTEST_HUB=ws://"+r.addr+"/sync")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		r.t.Fatal(err)
	}
	if r.stdin, err = cmd.StdinPipe(); err != nil {
		r.t.Fatal(err)
	}
	r.station = startProc(r.t, cmd)
	go func() {
		br := bufio.NewReader(stdout)
		for {
			line, err := br.ReadString('\n')
			if m := factLine.FindStringSubmatch(line); m != nil {
				r.mu.Lock()
				r.recorded[m[1]] = true
				r.mu.Unlock()
			} else if line == "SYNCED\n" {
				close(r.synced)
			}
			if err != nil {
				return // a line cut by the kill has no newline and is not counted
			}
		}
	}()
}

// TestKillNine runs the hub binary and a station process, records facts continuously and kills
// one or the other with SIGKILL at random moments, restarting it each time. At the end every
// fact the station reported as recorded is in the hub's log exactly once.
func TestKillNine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs processes")
	}
	t.Parallel()
	ctx := context.Background()
	r := &killRig{t: t, hubBin: buildHub(t), hubDir: t.TempDir(), addr: freeAddr(t), stDir: t.TempDir(),
		recorded: map[string]bool{}, synced: make(chan struct{})}
	for _, args := range [][]string{
		{"user", "add", "admin", "--role", "admin", "--name", "管理员", "--password-stdin"},
		{"station", "add", "--code", "HX01", "--name", "测试联络站", "--user", "admin"},
	} {
		cmd := r.hubCmd(args...)
		cmd.Stdin = strings.NewReader("kill-test-password\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	out, err := r.hubCmd("device", "add", "--station", "HX01", "--role", "kiosk", "--name", "测试终端").CombinedOutput()
	if err != nil {
		t.Fatalf("device add: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`pairing code: (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no pairing code in %s", out)
	}
	r.startHub()
	r.pair(ctx, strings.ReplaceAll(string(m[1]), "-", ""))
	r.startStation()

	rng := rand.New(rand.NewPCG(20240501, 9))
	kills := map[string]int{}
	for round := 0; round < 10; round++ {
		time.Sleep(time.Duration(150+rng.IntN(500)) * time.Millisecond) // a random moment
		if round%2 == 0 {
			r.hub.kill()
			kills["hub"]++
			r.startHub()
		} else {
			r.station.kill()
			kills["station"]++
			r.startStation()
		}
	}
	if kills["hub"] == 0 || kills["station"] == 0 {
		t.Fatalf("kills %v: both sides must die at least once", kills)
	}
	if _, err := io.WriteString(r.stdin, "stop\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.synced:
	case <-r.station.done:
		t.Fatal("station process exited")
	case <-time.After(2 * time.Minute):
		t.Fatal("station did not finish uploading")
	}
	r.station.kill()
	_ = r.hub.cmd.Process.Signal(syscall.SIGTERM)
	<-r.hub.done
	r.verify(ctx, kills)
}

// pair trades the pairing code for the device's identity, as `liaison-station --pair` does.
func (r *killRig) pair(ctx context.Context, code string) {
	r.t.Helper()
	pub, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		r.t.Fatal(err)
	}
	e, err := client.Pair(ctx, "http://"+r.addr, code, pub, "测试终端")
	if err != nil {
		r.t.Fatalf("pair: %v", err)
	}
	st, err := store.Open(filepath.Join(r.stDir, "station.db"), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	defer st.Close()
	for k, v := range map[string]string{store.MetaDeviceID: e.DeviceID, store.MetaStation: e.Station,
		store.MetaDeviceCode: e.DeviceCode, store.MetaRole: "kiosk"} {
		if err := st.SetMeta(ctx, k, v); err != nil {
			r.t.Fatal(err)
		}
	}
	b, _ := json.Marshal(identity{Device: e.DeviceID, Station: e.Station, Key: key})
	if err := os.WriteFile(filepath.Join(r.stDir, identityFile), b, 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// verify opens the stopped hub's database and the station's and checks exactly-once.
func (r *killRig) verify(ctx context.Context, kills map[string]int) {
	t := r.t
	hs, err := sqlitestore.Open(ctx, r.hubDir, sqlitestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if err := hs.VerifyChain(ctx); err != nil {
		t.Fatal(err)
	}
	evs, err := scopeEvents(ctx, hs, "HX01")
	if err != nil {
		t.Fatal(err)
	}
	atHub := map[string]int{}
	seqs := map[int64]int{}
	for _, e := range evs {
		if e.Kind == domain.KindCaseSubmitted {
			atHub[e.ID]++
			seqs[e.DevSeq]++
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.recorded) < 20 {
		t.Fatalf("only %d facts recorded: the run proves little", len(r.recorded))
	}
	for id := range r.recorded {
		if atHub[id] != 1 {
			t.Fatalf("fact %s reported recorded is at the hub %d times", id, atHub[id])
		}
	}
	for id, n := range atHub {
		if n != 1 {
			t.Fatalf("fact %s at the hub %d times", id, n)
		}
	}
	st, err := store.Open(filepath.Join(r.stDir, "station.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	last, err := st.LastLocalSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Facts committed but killed before they were reported are at the hub too, once.
	if int64(len(atHub)) != last || len(seqs) != int(last) {
		t.Fatalf("hub holds %d facts (%d sequences), the station wrote %d", len(atHub), len(seqs), last)
	}
	t.Logf("%d facts recorded and reported, %d written, kills %v", len(r.recorded), last, kills)
}
