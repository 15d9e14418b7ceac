package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"liaison/sync/hub/console"
	"liaison/sync/hub/sqlitestore"
	"liaison/sync/hub/store"
)

// accounts is the console's account service over a command's store.
func (e *env) accounts(st *sqlitestore.Store) *console.Accounts {
	return console.NewAccounts(st, console.DefaultArgon, time.Now, console.DefaultStaffUnit)
}

// readPassword reads one line from standard input: the password, never a flag, so it stays
// out of the shell history and the process list.
func (e *env) readPassword() (string, error) {
	line, err := bufio.NewReader(e.in).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("%w: --password-stdin needs the password on standard input", errUsage)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// user runs `liaison-hub user add|list|disable|password`.
func (e *env) user(ctx context.Context, args []string) error {
	const use = "user add LOGIN --role ROLE [--dept CODE] [--rep ID] [--node CODE] [--name N] --password-stdin | user list | user disable LOGIN | user password LOGIN --password-stdin"
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, use)
	}
	sub, args := args[0], args[1:]
	fs := e.flags("user " + sub)
	var role, dept, rep, name, node *string
	var stdin *bool
	switch sub {
	case "add":
		role = fs.String("role", "", "admin, staff, department or representative")
		dept = fs.String("dept", "", "department code (role department)")
		rep = fs.String("rep", "", "representative id (role representative)")
		node = fs.String("node", "", "organisation node (市, 区, 街道) the account sees beneath; none: the whole hub")
		name = fs.String("name", "", "display name, e.g. 王主任")
		stdin = fs.Bool("password-stdin", false, "read the password from standard input")
	case "password":
		stdin = fs.Bool("password-stdin", false, "read the password from standard input")
	case "list", "disable":
	default:
		return fmt.Errorf("%w: %s", errUsage, use)
	}
	pos, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	acc := e.accounts(st)
	needLogin := func() (string, error) {
		if len(pos) != 1 {
			return "", fmt.Errorf("%w: user %s LOGIN", errUsage, sub)
		}
		return pos[0], nil
	}
	switch sub {
	case "list":
		return e.userList(ctx, st, acc)
	case "disable":
		login, err := needLogin()
		if err != nil {
			return err
		}
		if err := acc.Disable(ctx, login); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "user %s disabled; their sessions and tokens are ended\n", console.NormLogin(login))
		return nil
	}
	login, err := needLogin()
	if err != nil {
		return err
	}
	if !*stdin {
		return fmt.Errorf("%w: user %s needs --password-stdin", errUsage, sub)
	}
	pw, err := e.readPassword()
	if err != nil {
		return err
	}
	if sub == "password" {
		if err := acc.SetPassword(ctx, login, pw, nil); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "password of %s changed; their sessions are ended\n", console.NormLogin(login))
		return nil
	}
	u, err := acc.Add(ctx, console.NewUser{Login: login, Name: *name, Role: *role, DeptCode: *dept, RepID: *rep, Node: *node, Password: pw})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "user %s added: %s, role %s\n", u.Login, console.DisplayName(u.Name, acc.Unit(ctx, u)), u.Role)
	return nil
}

func (e *env) userList(ctx context.Context, st *sqlitestore.Store, acc *console.Accounts) error {
	us, err := st.Users(ctx)
	if err != nil {
		return err
	}
	tw := e.table("LOGIN\tNAME\tROLE\tUNIT\tSTATUS\tCREATED")
	for _, u := range us {
		status := "active"
		if u.Disabled {
			status = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Login, u.Name, u.Role, acc.Unit(ctx, u), status, localTime(u.Created))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%d users\n", len(us))
	return nil
}

// token runs `liaison-hub token create --user LOGIN`.
func (e *env) token(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("%w: token create --user LOGIN", errUsage)
	}
	fs := e.flags("token create")
	login := fs.String("user", "", "the account the token acts as")
	_, st, err := e.prepareEngine(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer st.Close()
	if *login == "" {
		return fmt.Errorf("%w: token create --user LOGIN", errUsage)
	}
	tok, err := e.accounts(st).CreateToken(ctx, *login)
	if errors.Is(err, store.ErrNoUser) {
		return fmt.Errorf("no enabled user %q", *login)
	}
	if err != nil {
		return err
	}
	// Only the token goes to standard output, so scripts can capture it.
	fmt.Fprintln(e.out, tok)
	fmt.Fprintf(e.errOut, "token for %s: shown once, stored only as a hash; use it as \"Authorization: Bearer <token>\"\n",
		console.NormLogin(*login))
	return nil
}

// firstAdminHint is what serve prints on a hub without accounts.
const firstAdminHint = `This hub has no user accounts yet. Create the first administrator with:
  echo 'a-long-password' | liaison-hub user add admin --role admin --name 管理员 --password-stdin --data %s
then sign in at %s/console/
`
