package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// Errors of account management; the API maps each to its code.
var (
	ErrBadLogin              = errors.New("bad login")
	ErrBadRole               = errors.New("bad role")
	ErrUnknownDepartment     = errors.New("unknown department")
	ErrUnknownRepresentative = errors.New("unknown representative")
	ErrWeakPassword          = errors.New("weak password")
)

// RetiredError refuses a case action naming a retired department or representative: history
// keeps their names, new work goes to the active ones.
type RetiredError struct{ Name string }

func (e *RetiredError) Error() string { return fmt.Sprintf("%s is retired", e.Name) }

// TokenPrefix starts every personal API token, so one is recognised in a script or a leak.
const TokenPrefix = "lht_"

// loginPattern: what a login may be, lower case (logins are compared lower-cased).
var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)

// NormLogin is the form logins are stored and compared in.
func NormLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Accounts manages people's accounts: the console's API and the command line share it.
type Accounts struct {
	st    Store
	argon ArgonParams
	now   func() time.Time
	unit  string
	// hashing bounds the password hashes computed at once: each takes Argon.Memory.
	hashing chan struct{}
	dummyMu sync.Mutex
	dummy   string // a hash to check unknown logins against, so they take as long
}

// NewAccounts builds the account service.
func NewAccounts(st Store, argon ArgonParams, now func() time.Time, staffUnit string) *Accounts {
	if argon == (ArgonParams{}) {
		argon = DefaultArgon
	}
	if now == nil {
		now = time.Now
	}
	if staffUnit == "" {
		staffUnit = DefaultStaffUnit
	}
	return &Accounts{st: st, argon: argon, now: now, unit: staffUnit, hashing: make(chan struct{}, 2)}
}

// NewUser is what an account is made from.
type NewUser struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	DeptCode string `json:"dept_code,omitempty"`
	RepID    string `json:"rep_id,omitempty"`
	// Node is the organisation node an admin, staff or display account sees beneath; "" the
	// whole hub.
	Node     string `json:"node,omitempty"`
	Password string `json:"password"`
}

// Add checks and stores a new account.
func (a *Accounts) Add(ctx context.Context, n NewUser) (store.User, error) {
	u := store.User{Login: NormLogin(n.Login), Name: strings.TrimSpace(n.Name), Role: n.Role,
		Created: a.now().UTC()}
	switch {
	case !loginPattern.MatchString(u.Login):
		return u, fmt.Errorf("%w: %q (2–32 letters, digits, . _ -)", ErrBadLogin, n.Login)
	case !store.ValidRole(u.Role):
		return u, fmt.Errorf("%w: %q", ErrBadRole, n.Role)
	case weak(n.Password):
		return u, fmt.Errorf("%w: fewer than %d characters", ErrWeakPassword, MinPassword)
	}
	if u.Name == "" {
		u.Name = u.Login
	}
	if u.Node = strings.TrimSpace(n.Node); u.Node != "" {
		nodes, err := decodeRefs[domain.OrgNode](ctx, a.st, domain.KindOrgNodeUpserted)
		if err != nil {
			return u, err
		}
		if !slices.ContainsFunc(nodes, func(o domain.OrgNode) bool { return o.Code == u.Node && !o.Retired }) {
			return u, fmt.Errorf("%w: %q", ErrBadNode, u.Node)
		}
	}
	switch u.Role {
	case store.RoleDepartment:
		u.DeptCode = strings.TrimSpace(n.DeptCode)
		if _, err := a.st.Department(ctx, u.DeptCode); err != nil {
			if errors.Is(err, store.ErrNotFound) || u.DeptCode == "" {
				return u, fmt.Errorf("%w: %q", ErrUnknownDepartment, u.DeptCode)
			}
			return u, err
		}
	case store.RoleRepresentative:
		u.RepID = strings.TrimSpace(n.RepID)
		if _, ok, err := findRep(ctx, a.st, u.RepID); err != nil {
			return u, err
		} else if !ok {
			return u, fmt.Errorf("%w: %q", ErrUnknownRepresentative, u.RepID)
		}
	}
	hash, err := a.hash(ctx, n.Password)
	if err != nil {
		return u, err
	}
	u.PasswordHash = hash
	if err := a.st.CreateUser(ctx, u); err != nil {
		return u, err
	}
	return u, nil
}

// SetPassword replaces a password and ends the account's other sessions (keep: the session
// that changed it, or nil).
func (a *Accounts) SetPassword(ctx context.Context, login, password string, keep []byte) error {
	if weak(password) {
		return fmt.Errorf("%w: fewer than %d characters", ErrWeakPassword, MinPassword)
	}
	hash, err := a.hash(ctx, password)
	if err != nil {
		return err
	}
	return a.st.SetPassword(ctx, NormLogin(login), hash, keep)
}

// Disable disables an account, ending its sessions and tokens.
func (a *Accounts) Disable(ctx context.Context, login string) error {
	return a.st.DisableUser(ctx, NormLogin(login))
}

// CreateToken makes a personal API token for an enabled account and returns it; only its
// hash is stored, so this is the one time it is seen.
func (a *Accounts) CreateToken(ctx context.Context, login string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("make token: %w", err)
	}
	tok := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	if err := a.st.CreateToken(ctx, secretHash(tok), NormLogin(login), a.now().UTC()); err != nil {
		return "", err
	}
	return tok, nil
}

// Check returns the account whose password this is. An unknown login costs as much as a
// wrong password, so timing does not tell which logins exist. ok is false for both.
func (a *Accounts) Check(ctx context.Context, login, password string) (u store.User, ok bool, err error) {
	u, err = a.st.User(ctx, NormLogin(login))
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNoUser) {
		return u, false, err
	}
	hash := u.PasswordHash
	if !known {
		if hash, err = a.dummyHash(ctx); err != nil {
			return u, false, err
		}
	}
	if err := a.acquire(ctx); err != nil {
		return u, false, err
	}
	match, verr := VerifyPassword(password, hash)
	<-a.hashing
	if verr != nil {
		return u, false, fmt.Errorf("check password of %s: %w", u.Login, verr)
	}
	return u, known && match, nil
}

func (a *Accounts) acquire(ctx context.Context) error {
	select {
	case a.hashing <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *Accounts) hash(ctx context.Context, password string) (string, error) {
	if err := a.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-a.hashing }()
	return HashPassword(password, a.argon)
}

func (a *Accounts) dummyHash(ctx context.Context) (string, error) {
	a.dummyMu.Lock()
	defer a.dummyMu.Unlock()
	if a.dummy == "" {
		h, err := a.hash(ctx, "not a password of anyone")
		if err != nil {
			return "", err
		}
		a.dummy = h
	}
	return a.dummy, nil
}

// Unit is what follows a person's name in the timeline: the street's committee for staff
// and admins, the department's name, the representative's level.
func (a *Accounts) Unit(ctx context.Context, u store.User) string {
	switch u.Role {
	case store.RoleDepartment:
		if d, err := a.st.Department(ctx, u.DeptCode); err == nil && d.Name != "" {
			return d.Name
		}
		return u.DeptCode
	case store.RoleRepresentative:
		if r, ok, _ := findRep(ctx, a.st, u.RepID); ok && r.Level != "" {
			return r.Level
		}
		return "人大代表"
	}
	if u.Node != "" {
		if unit := nodeUnit(ctx, a.st, u.Node); unit != "" {
			return unit
		}
	}
	return a.unit
}

// nodeUnit is the people's-congress office of an organisation node: a street's 人大工委, a
// district's or a city's 人大常委会; "" for a node the reference data does not hold.
func nodeUnit(ctx context.Context, st refStore, node string) string {
	nodes, err := decodeRefs[domain.OrgNode](ctx, st, domain.KindOrgNodeUpserted)
	if err != nil {
		return ""
	}
	i := slices.IndexFunc(nodes, func(n domain.OrgNode) bool { return n.Code == node })
	switch {
	case i < 0:
		return ""
	case nodes[i].Level == domain.LevelStreet:
		return nodes[i].Name + "人大工委"
	}
	return nodes[i].Name + "人大常委会"
}

// DisplayName is how a person appears in timelines: 王主任（街道人大工委）.
func DisplayName(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + "（" + unit + "）"
}

// Actor is the person as the actor of what they record: staff and admins by their login;
// a department's people by the department's code, which the lifecycle checks cases
// against (domain.Transition), with their own name shown.
func (a *Accounts) Actor(ctx context.Context, u store.User) domain.Actor {
	name := DisplayName(u.Name, a.Unit(ctx, u))
	switch u.Role {
	case store.RoleDepartment:
		return domain.Actor{Role: domain.RoleDepartment, ID: u.DeptCode, Name: name}
	case store.RoleRepresentative:
		return domain.Actor{Role: domain.RoleRepresentative, ID: u.RepID, Name: u.Name}
	}
	return domain.Actor{Role: domain.RoleStaff, ID: u.Login, Name: name}
}

// secretHash is how session ids and tokens are stored: sha256 (they are 256-bit random, so
// a fast hash suffices; a stolen database yields nothing to present).
func secretHash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}
