package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/httpjson"
	"liaison/sync/hub/store"
)

// touchEvery: a session's last use is written at most this often, not on every request.
const touchEvery = time.Minute

// principal is the person making a request.
type principal struct {
	User    store.User
	Session *store.Session // nil when the request carries an API token
	Actor   domain.Actor
}

func (p *principal) is(roles ...string) bool {
	for _, r := range roles {
		if p.User.Role == r {
			return true
		}
	}
	return false
}

// Role sets of the routes.
var (
	anyRole   = []string{store.RoleAdmin, store.RoleStaff, store.RoleDepartment, store.RoleRepresentative}
	deskRoles = []string{store.RoleAdmin, store.RoleStaff}
	// signedIn is every account, the wall screens' too: who may read and end their session
	signedIn = append(slices.Clone(anyRole), store.RoleDisplay)
	// boardRoles read the area boards: the desk and the wall screens
	boardRoles = append(slices.Clone(deskRoles), store.RoleDisplay)
	adminOnly  = []string{store.RoleAdmin}
)

type ctxKey struct{}

// ActorFrom returns the person a request passed RequireStaff (or any console route) as.
func ActorFrom(ctx context.Context) (domain.Actor, bool) {
	p, ok := ctx.Value(ctxKey{}).(*principal)
	if !ok {
		return domain.Actor{}, false
	}
	return p.Actor, true
}

type authedHandler func(w http.ResponseWriter, r *http.Request, p *principal)

// authed finds who makes the request (API token or session cookie), refuses expired
// sessions, disabled accounts, unsafe requests with the cookie but without the session's
// CSRF token, and roles not in roles.
func (c *Console) authed(roles []string, h authedHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := c.authenticate(w, r)
		if err != nil {
			c.internal(w, r, err)
			return
		}
		if p == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="liaison-hub"`)
			writeError(w, http.StatusUnauthorized, domain.CodeUnauthorized)
			return
		}
		if p.Session != nil && unsafeMethod(r.Method) {
			got := r.Header.Get(CSRFHeader)
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(p.Session.CSRF)) != 1 {
				writeError(w, http.StatusForbidden, domain.CodeCSRF)
				return
			}
		}
		if !p.is(roles...) {
			writeError(w, http.StatusForbidden, domain.CodeForbidden)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, p)), p)
	})
}

func unsafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// authenticate returns the request's person, or nil when it carries no valid credentials.
func (c *Console) authenticate(w http.ResponseWriter, r *http.Request) (*principal, error) {
	ctx := r.Context()
	if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		u, err := c.st.TokenUser(ctx, secretHash(strings.TrimSpace(tok)))
		if errors.Is(err, store.ErrNoUser) || (err == nil && u.Disabled) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &principal{User: u, Actor: c.accounts.Actor(ctx, u)}, nil
	}
	ck, err := r.Cookie(CookieName)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	hash := secretHash(ck.Value)
	ses, u, err := c.st.SessionUser(ctx, hash)
	if errors.Is(err, store.ErrNoUser) {
		c.clearCookie(w)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	now := c.cfg.Now()
	if u.Disabled || !c.sessionLive(ses, u, now) {
		if err := c.st.DeleteSession(ctx, hash); err != nil {
			return nil, err
		}
		c.clearCookie(w)
		return nil, nil
	}
	if now.Sub(ses.LastSeen) >= touchEvery {
		if err := c.st.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
		ses.LastSeen = now
	}
	return &principal{User: u, Session: &ses, Actor: c.accounts.Actor(ctx, u)}, nil
}

// stillValid re-checks a long-lived request's session (the event stream) against expiry and
// the account's state.
func (c *Console) stillValid(ctx context.Context, p *principal) bool {
	if p.Session == nil {
		u, err := c.st.User(ctx, p.User.Login)
		return err == nil && !u.Disabled
	}
	ses, u, err := c.st.SessionUser(ctx, p.Session.Hash)
	if err != nil || u.Disabled {
		return false
	}
	return c.sessionLive(ses, u, c.cfg.Now())
}

// sessionLive reports whether a session is still on at now: used within IdleTimeout, and
// begun within AbsoluteTimeout unless it is a wall screen's, which reads its board every
// half minute for as long as the screen is on.
func (c *Console) sessionLive(ses store.Session, u store.User, now time.Time) bool {
	if now.Sub(ses.LastSeen) > c.cfg.IdleTimeout {
		return false
	}
	return u.Role == store.RoleDisplay || now.Sub(ses.Created) <= c.cfg.AbsoluteTimeout
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (c *Console) setCookie(w http.ResponseWriter, value string) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.secureCookies(),
		MaxAge: int(c.cfg.AbsoluteTimeout.Seconds())})
}

func (c *Console) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: c.secureCookies(), MaxAge: -1})
}

// Me is the body of login and GET /api/v1/me.
type Me struct {
	User User   `json:"user"`
	CSRF string `json:"csrf"`
}

// LoginRequest is the body of POST /api/v1/login.
type LoginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	var req LoginRequest
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	login, addr := NormLogin(req.Login), clientAddr(r)
	if wait := c.throttle.Wait(login, addr); wait > 0 {
		tooMany(w, wait)
		return
	}
	u, ok, err := c.accounts.Check(r.Context(), login, req.Password)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if !ok {
		c.throttle.Fail(login, addr)
		c.log.Warn("login failed", "login", login, "addr", addr)
		writeError(w, http.StatusUnauthorized, domain.CodeBadCredentials)
		return
	}
	c.throttle.Succeed(login)
	if u.Disabled {
		writeError(w, http.StatusForbidden, domain.CodeUserDisabled)
		return
	}
	id, ses, err := c.newSession(u.Login)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if err := c.st.CreateSession(r.Context(), ses); err != nil {
		c.internal(w, r, err)
		return
	}
	c.setCookie(w, id)
	c.log.Info("login", "login", u.Login, "addr", addr)
	httpjson.Write(w, http.StatusOK, Me{User: c.userView(r.Context(), u), CSRF: ses.CSRF})
}

// newSession makes a session for login, not yet stored: the cookie's secret id, whose hash
// the session holds, and a fresh CSRF token.
func (c *Console) newSession(login string) (string, store.Session, error) {
	id, err := randomToken()
	if err != nil {
		return "", store.Session{}, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", store.Session{}, err
	}
	now := c.cfg.Now()
	return id, store.Session{Hash: secretHash(id), Login: login, CSRF: csrf, Created: now, LastSeen: now}, nil
}

func tooMany(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	writeError(w, http.StatusTooManyRequests, domain.CodeTooManyAttempts)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, p *principal) {
	if p.Session != nil {
		if err := c.st.DeleteSession(r.Context(), p.Session.Hash); err != nil {
			c.internal(w, r, err)
			return
		}
		c.clearCookie(w)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (c *Console) me(w http.ResponseWriter, r *http.Request, p *principal) {
	m := Me{User: c.userView(r.Context(), p.User)}
	if p.Session != nil {
		m.CSRF = p.Session.CSRF
	}
	httpjson.Write(w, http.StatusOK, m)
}

// PasswordChange is the body of POST /api/v1/me/password.
type PasswordChange struct {
	Old string `json:"old"`
	New string `json:"new"`
}

func (c *Console) changePassword(w http.ResponseWriter, r *http.Request, p *principal) {
	var req PasswordChange
	if err := decodeBody(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, domain.CodeBadRequest, "detail", "json")
		return
	}
	addr := clientAddr(r)
	if wait := c.throttle.Wait(p.User.Login, addr); wait > 0 {
		tooMany(w, wait)
		return
	}
	_, ok, err := c.accounts.Check(r.Context(), p.User.Login, req.Old)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	if !ok {
		c.throttle.Fail(p.User.Login, addr)
		writeError(w, http.StatusForbidden, domain.CodeOldPasswordWrong)
		return
	}
	var keep []byte
	if p.Session != nil {
		keep = p.Session.Hash
	}
	err = c.accounts.SetPassword(r.Context(), p.User.Login, req.New, keep)
	if errors.Is(err, ErrWeakPassword) {
		weakPassword(w)
		return
	}
	if err != nil {
		c.internal(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
