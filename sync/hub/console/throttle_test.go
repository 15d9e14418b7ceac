package console_test

import (
	"net"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"testing"
	"time"

	"liaison/internal/clocktest"
	"liaison/sync/hub/console"
)

// fromAddr is a client of the fixture whose connections leave from the local address ip, so
// the console sees another client address than the other clients' 127.0.0.1.
func (f *fixture) fromAddr(t *testing.T, ip string) *client {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Skipf("this machine has no local address %s: %v", ip, err)
	}
	ln.Close()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &client{f: f, http: &http.Client{Jar: jar, Transport: &http.Transport{DialContext: d.DialContext}}}
}

// TestLoginThrottlePerAddress: an address guessing many logins, none of them five times, is
// locked out after 20 failures, even for a right password; another address is not, and the
// lockout ends after the Retry-After it was given.
func TestLoginThrottlePerAddress(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	other := f.fromAddr(t, "127.0.0.2")
	guesser := f.anonymous(t)
	for i := range 20 {
		login := "guess" + strconv.Itoa(i)
		if i%2 == 0 {
			login = []string{"wangzr", "admin", "zhujianju"}[i%3] // real accounts, under 5 each
		}
		resp, body := guesser.do(t, "POST", "/api/v1/login", map[string]string{"login": login, "password": "wrong-" + strconv.Itoa(i)})
		if resp.StatusCode != 401 || errorCode(t, body) != "bad_credentials" {
			t.Fatalf("failure %d (%s): %d %s", i+1, login, resp.StatusCode, body)
		}
	}
	good := map[string]string{"login": "wangzr", "password": password}
	resp, body := guesser.do(t, "POST", "/api/v1/login", good)
	if resp.StatusCode != 429 || errorCode(t, body) != "too_many_attempts" {
		t.Fatalf("the guessing address after 20 failures: %d %s, want 429", resp.StatusCode, body)
	}
	wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || wait < 1 || wait > 60 {
		t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	if resp, body := guesser.do(t, "POST", "/api/v1/login", map[string]string{"login": "daibiao", "password": password}); resp.StatusCode != 429 {
		t.Fatalf("another account from the guessing address: %d %s, want 429", resp.StatusCode, body)
	}
	if resp, body := other.do(t, "POST", "/api/v1/login", good); resp.StatusCode != 200 {
		t.Fatalf("the same account from another address: %d %s", resp.StatusCode, body)
	}
	f.clk.Advance(time.Duration(wait) * time.Second)
	if resp, body := guesser.do(t, "POST", "/api/v1/login", good); resp.StatusCode != 200 {
		t.Fatalf("the guessing address after its lockout: %d %s", resp.StatusCode, body)
	}
}

// TestThrottleAddressLimit: the address's count is its own: 19 failures over as many logins
// do not lock it, the 20th does, for that address only, and a successful login of one of
// those accounts does not clear it.
func TestThrottleAddressLimit(t *testing.T) {
	t.Parallel()
	clk := clocktest.New(t0)
	th := console.NewThrottle(console.ThrottleConfig{Now: clk.Now})
	for i := range 19 {
		th.Fail("user"+strconv.Itoa(i), "10.0.0.1")
	}
	if w := th.Wait("someone", "10.0.0.1"); w != 0 {
		t.Fatalf("locked after 19 failures: %v", w)
	}
	th.Fail("user19", "10.0.0.1")
	if w := th.Wait("someone", "10.0.0.1"); w != time.Minute {
		t.Fatalf("lockout after 20 failures: %v, want 1m", w)
	}
	if w := th.Wait("someone", "10.0.0.2"); w != 0 {
		t.Fatalf("another address locked: %v", w)
	}
	th.Succeed("user3")
	if w := th.Wait("user3", "10.0.0.1"); w != time.Minute {
		t.Fatalf("after a success from the address: %v, want still 1m", w)
	}
	th.Fail("user20", "10.0.0.1")
	if w := th.Wait("someone", "10.0.0.1"); w != 2*time.Minute {
		t.Fatalf("the 21st failure: %v, want 2m", w)
	}
	clk.Advance(2 * time.Minute)
	if w := th.Wait("someone", "10.0.0.1"); w != 0 {
		t.Fatalf("after the lockout: %v", w)
	}
}
