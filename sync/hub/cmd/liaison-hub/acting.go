package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store"
)

// Who may make a command's change, as in the console: hub administration (stations, the
// calendar, imports, reference data) is for admins; revoking a device or a badge also for the
// street's staff, as the staff API allows.
var (
	adminWrite = []string{store.RoleAdmin}
	deskWrite  = []string{store.RoleAdmin, store.RoleStaff}
)

// userFlag adds --user LOGIN to a command that writes: the account acting.
func userFlag(fs *flag.FlagSet) *string {
	return fs.String("user", "", "the account acting (its person is recorded)")
}

// actingUser resolves a command's --user LOGIN to the account acting and the person the log
// records as the actor of what the command writes. The login is required; an unknown or
// disabled account is refused, and so is one whose role may not make this change (roles; none
// given lets every role through, for commands that check it themselves).
func actingUser(ctx context.Context, st console.Store, login, command string, roles ...string) (store.User, domain.Actor, error) {
	if login == "" {
		return store.User{}, domain.Actor{}, fmt.Errorf("%w: %s needs --user LOGIN, the account acting", errUsage, command)
	}
	u, err := st.User(ctx, console.NormLogin(login))
	if errors.Is(err, store.ErrNoUser) {
		return u, domain.Actor{}, fmt.Errorf("no user %q: `liaison-hub user list` shows the accounts", login)
	}
	if err != nil {
		return u, domain.Actor{}, err
	}
	if u.Disabled {
		return u, domain.Actor{}, fmt.Errorf("user %s is disabled", u.Login)
	}
	if len(roles) > 0 && !slices.Contains(roles, u.Role) {
		return u, domain.Actor{}, fmt.Errorf("user %s is a %s account; %s is for %s accounts", u.Login, u.Role, command, strings.Join(roles, " and "))
	}
	acc := console.NewAccounts(st, console.DefaultArgon, time.Now, console.DefaultStaffUnit)
	return u, acc.Actor(ctx, u), nil
}
