package console_test

import (
	"context"
	"encoding/json"
	"liaison/internal/clocktest"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"liaison/sync/hub/console"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	t.Parallel()
	h, err := console.HashPassword("正确的密码 1", cheapArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	for pw, want := range map[string]bool{"正确的密码 1": true, "正确的密码 2": false, "": false} {
		if ok, err := console.VerifyPassword(pw, h); ok != want || err != nil {
			t.Errorf("verify %q: %v, %v", pw, ok, err)
		}
	}
	if _, err := console.VerifyPassword("x", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5"); err == nil {
		t.Error("a hash asking for 100 GB of memory was accepted")
	}
}

func TestLoginSessionAndLogout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	anon := f.anonymous(t)
	if resp, body := anon.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 401 || errorCode(t, body) != "unauthorized" {
		t.Fatalf("me without a session: %d", resp.StatusCode)
	}
	resp, body := anon.do(t, "POST", "/api/v1/login", map[string]string{"login": "wangzr", "password": "wrong"})
	if resp.StatusCode != 401 || errorCode(t, body) != "bad_credentials" {
		t.Fatalf("wrong password: %d %s", resp.StatusCode, body)
	}
	c := f.login(t, "WangZR") // logins are compared lower-cased
	var ck *http.Cookie
	for _, x := range c.http.Jar.Cookies(mustURL(t, f.srv.URL)) {
		if x.Name == console.CookieName {
			ck = x
		}
	}
	if ck == nil {
		t.Fatal("no session cookie")
	}
	raw := c.lastSetCookie(t)
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/", "Secure"} {
		if !strings.Contains(raw, want) {
			t.Errorf("cookie %q lacks %s", raw, want)
		}
	}
	resp, body = c.do(t, "GET", "/api/v1/me", nil)
	var me console.Me
	if err := json.Unmarshal(body, &me); err != nil || resp.StatusCode != 200 || me.User.Login != "wangzr" ||
		me.User.Unit != "街道人大工委" || me.CSRF != c.csrf {
		t.Fatalf("me: %d %s", resp.StatusCode, body)
	}
	if resp, _ := c.do(t, "POST", "/api/v1/logout", nil); resp.StatusCode != 204 {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if resp, _ := c.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Fatalf("me after logout: %d", resp.StatusCode)
	}
}

// lastSetCookie logs in again with a plain client to read the raw Set-Cookie header.
func (c *client) lastSetCookie(t *testing.T) string {
	t.Helper()
	r, _ := http.NewRequest("POST", c.f.srv.URL+"/api/v1/login",
		strings.NewReader(`{"login":"wangzr","password":"`+password+`"}`))
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.Header.Get("Set-Cookie")
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login(t, "wangzr")
	cs := f.newCase(t, "assigned", deptCode)
	path := "/api/v1/cases/" + cs.ID + "/supervise"
	body := map[string]any{"note": "请加快", "version": cs.Version}
	for name, h := range map[string]map[string]string{
		"missing": {},
		"wrong":   {console.CSRFHeader: c.csrf + "x"},
		"empty":   {console.CSRFHeader: ""},
	} {
		resp, b := c.req(t, "POST", path, body, h)
		if resp.StatusCode != 403 || errorCode(t, b) != "csrf" {
			t.Errorf("%s CSRF token: %d %s", name, resp.StatusCode, b)
		}
	}
	if resp, b := c.req(t, "POST", "/api/v1/logout", nil, nil); resp.StatusCode != 403 || errorCode(t, b) != "csrf" {
		t.Errorf("logout without CSRF: %d", resp.StatusCode)
	}
	if resp, b := c.do(t, "POST", path, body); resp.StatusCode != 200 {
		t.Fatalf("with the token: %d %s", resp.StatusCode, b)
	}
	// An API token needs none: there is no cookie a page could ride on.
	if resp, b := f.token(t, "wangzr").req(t, "POST", path, map[string]any{"note": "再催"}, nil); resp.StatusCode != 200 {
		t.Fatalf("API token: %d %s", resp.StatusCode, b)
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.anonymous(t)
	bad := map[string]string{"login": "wangzr", "password": "guess"}
	for i := range 5 {
		if resp, _ := c.do(t, "POST", "/api/v1/login", bad); resp.StatusCode != 401 {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	good := map[string]string{"login": "wangzr", "password": password}
	resp, body := c.do(t, "POST", "/api/v1/login", good)
	if resp.StatusCode != 429 || errorCode(t, body) != "too_many_attempts" {
		t.Fatalf("after 5 failures: %d %s", resp.StatusCode, body)
	}
	wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || wait < 1 || wait > 60 {
		t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
	}
	// Another login from the same address is not locked yet (its own count, the address's 20).
	if resp, _ := c.do(t, "POST", "/api/v1/login", map[string]string{"login": "admin", "password": password}); resp.StatusCode != 200 {
		t.Fatalf("other login: %d", resp.StatusCode)
	}
	f.clk.Advance(time.Duration(wait) * time.Second)
	if resp, body := c.do(t, "POST", "/api/v1/login", good); resp.StatusCode != 200 {
		t.Fatalf("after the lockout: %d %s", resp.StatusCode, body)
	}
	// The count was cleared by the success: five more failures lock again, for as long.
	for range 5 {
		c.do(t, "POST", "/api/v1/login", bad)
	}
	if resp, _ := c.do(t, "POST", "/api/v1/login", good); resp.StatusCode != 429 {
		t.Fatalf("second lockout: %d", resp.StatusCode)
	}
}

func TestThrottleGrowsAndStaysBounded(t *testing.T) {
	t.Parallel()
	clk := clocktest.New(t0)
	th := console.NewThrottle(console.ThrottleConfig{Now: clk.Now, Size: 8})
	for range 7 {
		th.Fail("x", "10.0.0.1")
	}
	// limit 5: the 5th failure locks 1 min, the 6th 2 min, the 7th 4 min
	if w := th.Wait("x", "10.0.0.2"); w != 4*time.Minute {
		t.Fatalf("lockout after 7 failures: %v", w)
	}
	for i := range 100 {
		th.Fail("user"+strconv.Itoa(i), "10.0.1."+strconv.Itoa(i))
		clk.Advance(time.Second)
	}
	if w := th.Wait("x", "10.0.0.2"); w != 0 {
		t.Fatalf("the oldest key was not evicted: %v", w)
	}
	if w := th.Wait("user99", "10.0.0.2"); w != 0 {
		t.Fatalf("one failure locked: %v", w)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login(t, "wangzr")
	// Idle: 29 minutes between requests keep it alive, 31 end it.
	for range 3 {
		f.clk.Advance(29 * time.Minute)
		if resp, _ := c.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 200 {
			t.Fatalf("active session refused: %d", resp.StatusCode)
		}
	}
	f.clk.Advance(31 * time.Minute)
	if n, err := f.con.ExpireSessions(context.Background()); err != nil || n != 1 {
		t.Fatalf("housekeeping removed %d sessions, %v", n, err)
	}
	if resp, _ := c.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Fatalf("idle session accepted: %d", resp.StatusCode)
	}
	// Absolute: used every 20 minutes, it still ends 12 hours after the login.
	c = f.login(t, "wangzr")
	for i := 1; ; i++ {
		f.clk.Advance(20 * time.Minute)
		resp, _ := c.do(t, "GET", "/api/v1/me", nil)
		elapsed := time.Duration(i) * 20 * time.Minute
		if elapsed <= 12*time.Hour && resp.StatusCode != 200 {
			t.Fatalf("session refused after %v: %d", elapsed, resp.StatusCode)
		}
		if elapsed > 12*time.Hour {
			if resp.StatusCode != 401 {
				t.Fatalf("session accepted after %v", elapsed)
			}
			break
		}
	}
}

func TestDisabledUserLosesSessionsAndTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	c := f.login(t, "zhujianju")
	tok := f.token(t, "zhujianju")
	if resp, _ := tok.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 200 {
		t.Fatalf("token: %d", resp.StatusCode)
	}
	if resp, _ := c.do(t, "POST", "/api/v1/users/admin/disable", nil); resp.StatusCode != 403 {
		t.Fatalf("a department disabled the admin: %d", resp.StatusCode)
	}
	if resp, b := admin.do(t, "POST", "/api/v1/users/zhujianju/disable", nil); resp.StatusCode != 204 {
		t.Fatalf("disable: %d %s", resp.StatusCode, b)
	}
	for name, cl := range map[string]*client{"session": c, "token": tok} {
		if resp, _ := cl.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 401 {
			t.Errorf("%s still works after disabling: %d", name, resp.StatusCode)
		}
	}
	resp, body := f.anonymous(t).do(t, "POST", "/api/v1/login", map[string]string{"login": "zhujianju", "password": password})
	if resp.StatusCode != 403 || errorCode(t, body) != "user_disabled" {
		t.Fatalf("disabled login: %d %s", resp.StatusCode, body)
	}
	if _, err := f.con.Accounts().CreateToken(context.Background(), "zhujianju"); err == nil {
		t.Fatal("a token was made for a disabled user")
	}
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.login(t, "wangzr")
	other := f.login(t, "wangzr")
	cases := []struct {
		old, new string
		status   int
		code     string
	}{
		{"wrong", "a-new-password", 403, "old_password_wrong"},
		{password, "short", 400, "weak_password"},
		{password, "a-new-password", 204, ""},
	}
	for _, tc := range cases {
		resp, body := c.do(t, "POST", "/api/v1/me/password", map[string]string{"old": tc.old, "new": tc.new})
		if resp.StatusCode != tc.status || (tc.code != "" && errorCode(t, body) != tc.code) {
			t.Fatalf("%q → %q: %d %s", tc.old, tc.new, resp.StatusCode, body)
		}
	}
	if resp, _ := c.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 200 {
		t.Fatal("the session that changed the password was ended")
	}
	if resp, _ := other.do(t, "GET", "/api/v1/me", nil); resp.StatusCode != 401 {
		t.Fatal("another session survived the password change")
	}
	resp, _ := f.anonymous(t).do(t, "POST", "/api/v1/login", map[string]string{"login": "wangzr", "password": "a-new-password"})
	if resp.StatusCode != 200 {
		t.Fatalf("login with the new password: %d", resp.StatusCode)
	}
}

func TestUsersAPI(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login(t, "admin")
	staff := f.login(t, "wangzr")
	if resp, _ := staff.do(t, "GET", "/api/v1/users", nil); resp.StatusCode != 403 {
		t.Fatalf("staff listed users: %d", resp.StatusCode)
	}
	cases := []struct {
		body   console.NewUser
		status int
		code   string
	}{
		{console.NewUser{Login: "lisi", Name: "李干事", Role: "staff", Password: "long-enough"}, 201, ""},
		{console.NewUser{Login: "lisi", Name: "李干事", Role: "staff", Password: "long-enough"}, 409, "login_taken"},
		{console.NewUser{Login: "x2", Role: "boss", Password: "long-enough"}, 400, "bad_user_role"},
		{console.NewUser{Login: "x3", Role: "department", DeptCode: "NOPE", Password: "long-enough"}, 400, "unknown_department"},
		{console.NewUser{Login: "x4", Role: "representative", RepID: "NOPE", Password: "long-enough"}, 400, "unknown_representative"},
		{console.NewUser{Login: "x5", Role: "staff", Password: "short"}, 400, "weak_password"},
		{console.NewUser{Login: "zj2", Name: "钱科长", Role: "department", DeptCode: otherDept, Password: "long-enough"}, 201, ""},
	}
	for _, tc := range cases {
		resp, body := admin.do(t, "POST", "/api/v1/users", tc.body)
		if resp.StatusCode != tc.status || (tc.code != "" && errorCode(t, body) != tc.code) {
			t.Errorf("%+v: %d %s", tc.body, resp.StatusCode, body)
		}
	}
	resp, body := admin.do(t, "GET", "/api/v1/users", nil)
	var l console.UserList
	if err := json.Unmarshal(body, &l); err != nil || resp.StatusCode != 200 || len(l.Users) != 6 {
		t.Fatalf("users: %d %s", resp.StatusCode, body)
	}
	for _, u := range l.Users {
		if u.Login == "zj2" && (u.DeptName != "区住建局" || u.Unit != "区住建局") {
			t.Errorf("department user %+v", u)
		}
		if strings.Contains(string(body), "argon2") {
			t.Fatal("the list shows password hashes")
		}
	}
	if resp, _ := admin.do(t, "POST", "/api/v1/users/lisi/password", map[string]string{"password": "another-one"}); resp.StatusCode != 204 {
		t.Fatalf("reset password: %d", resp.StatusCode)
	}
	if resp, _ := admin.do(t, "POST", "/api/v1/users/nobody/disable", nil); resp.StatusCode != 404 {
		t.Fatalf("disable unknown: %d", resp.StatusCode)
	}
}
