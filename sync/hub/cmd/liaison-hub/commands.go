package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/seed"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

var cst = time.FixedZone("CST", 8*3600)

func localTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(cst).Format("2006-01-02 15:04")
}

func (e *env) station(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%w: station add", errUsage)
	}
	fs := e.flags("station add")
	code := fs.String("code", "", "station code, e.g. HX02")
	name := fs.String("name", "", "station name")
	address := fs.String("address", "", "address")
	communities := fs.String("communities", "", "communities served, comma-separated")
	login := userFlag(fs)
	_, st, err := e.prepareEngine(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer st.Close()
	_, actor, err := actingUser(ctx, st, *login, "station add", adminWrite...)
	if err != nil {
		return err
	}
	s := domain.Station{Code: strings.TrimSpace(*code), Name: strings.TrimSpace(*name), Address: *address}
	for _, c := range strings.Split(*communities, ",") {
		if c = strings.TrimSpace(c); c != "" {
			s.Communities = append(s.Communities, c)
		}
	}
	ev, err := st.UpsertStation(ctx, s, actor)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "station %s (%s) recorded at seq %d\n", s.Code, s.Name, ev.HubSeq)
	return nil
}

func (e *env) device(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: device add|list|revoke", errUsage)
	}
	sub, args := args[0], args[1:]
	fs := e.flags("device " + sub)
	var station, role, name, login *string
	switch sub {
	case "add":
		station = fs.String("station", "", "station code")
		role = fs.String("role", "", "kiosk or wall")
		name = fs.String("name", "", "device name, e.g. 一楼大厅")
	case "revoke":
		login = userFlag(fs)
	}
	pos, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "add":
		pc, err := st.CreatePairingCode(ctx, *station, *role, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "pairing code: %s-%s\nstation: %s  role: %s  name: %s\nexpires: %s (in %d minutes, single use)\n",
			pc.Code[:4], pc.Code[4:], pc.Station, pc.Role, pc.Name, localTime(pc.Expires), int(store.PairingTTL.Minutes()))
		return nil
	case "list":
		devs, err := st.Devices(ctx)
		if err != nil {
			return err
		}
		tw := e.table("STATION\tCODE\tROLE\tNAME\tID\tLAST SEEN\tSTATUS")
		for _, d := range devs {
			status := "active"
			if d.Revoked {
				status = "revoked"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Station, d.Code, d.Role, d.Name, d.ID, localTime(d.LastSeen), status)
		}
		return tw.Flush()
	case "revoke":
		if len(pos) != 1 {
			return fmt.Errorf("%w: device revoke ID --user LOGIN", errUsage)
		}
		u, actor, err := actingUser(ctx, st, *login, "device revoke", deskWrite...)
		if err != nil {
			return err
		}
		if err := st.RevokeDeviceBy(ctx, pos[0], actor); err != nil {
			return err
		}
		e.log.Warn("device revoked", "device", pos[0], "by", u.Login, "via", "command line")
		fmt.Fprintf(e.out, "device %s revoked; a running hub ends its session within a second or two\n", pos[0])
		return nil
	}
	return fmt.Errorf("%w: device %s", errUsage, sub)
}

func (e *env) seed(ctx context.Context, args []string) error {
	fs := e.flags("seed")
	n := fs.Int64("seed", seed.DefaultSeed, "random seed of the demo street")
	_, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	loaded, err := seed.Load(ctx, st, *n, time.Now())
	if err != nil {
		return err
	}
	if _, err := seed.LoadLevels(ctx, st, *n, time.Now()); err != nil {
		return err
	}
	if _, err := seed.LoadResidents(ctx, st, st.Keys(), time.Now()); err != nil {
		return err
	}
	last, _ := st.LastSeq(ctx)
	if !loaded {
		fmt.Fprintf(e.out, "demo data already loaded; log at seq %d\n", last)
		return nil
	}
	fmt.Fprintf(e.out, "demo street %s loaded; log at seq %d\n", seed.StationCode, last)
	return nil
}

func (e *env) cases(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: case list|show|act", errUsage)
	}
	switch args[0] {
	case "list":
		return e.caseList(ctx, args[1:])
	case "show":
		return e.caseShow(ctx, args[1:])
	case "act":
		return e.caseAct(ctx, args[1:])
	}
	return fmt.Errorf("%w: case %s", errUsage, args[0])
}

func (e *env) caseList(ctx context.Context, args []string) error {
	fs := e.flags("case list")
	state := fs.String("state", "", "only cases in this state")
	station := fs.String("station", "", "only cases of this station")
	_, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.Cases(ctx, store.CaseFilter{State: domain.State(*state), Station: *station})
	if err != nil {
		return err
	}
	// overdue as the console counts it: working time, with the calendar and category edits
	rules, err := st.Rules(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := e.table("NUMBER\tSTATE\tCATEGORY\tSUBMITTED\tDEPARTMENT\tDUE\tOVERDUE")
	for _, c := range cs {
		over := ""
		if domain.Overdue(c, now, rules) {
			over = "overdue"
		}
		dept := c.DeptName
		if dept == "" {
			dept = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Number, c.State, c.Category,
			localTime(c.SubmittedAt), dept, localTime(c.Due), over)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%d cases\n", len(cs))
	return nil
}

func (e *env) caseAct(ctx context.Context, args []string) error {
	fs := e.flags("case act")
	var req console.ActionRequest
	var due string
	login := userFlag(fs)
	fs.StringVar(&req.Note, "note", "", "note (progress, supervise, return, close, reopen)")
	fs.StringVar(&req.Reply, "reply", "", "reply text (reply)")
	fs.StringVar(&req.RepID, "rep", "", "representative id (accept)")
	fs.StringVar(&req.RepName, "rep-name", "", "representative name (accept; default from the reference data)")
	fs.StringVar(&req.DeptCode, "dept", "", "department code (assign)")
	fs.StringVar(&due, "due", "", "reply due, RFC 3339 (assign; default per the rules)")
	fs.StringVar(&req.Into, "into", "", "case number to merge into (merge)")
	fs.StringVar(&req.To, "to", "", "organisation node to escalate to (escalate; default the level above)")
	fs.StringVar(&req.As, "as", "", `"department" to reply on the department's behalf`)
	pos, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(pos) != 2 || *login == "" {
		return fmt.Errorf("%w: case act NUMBER ACTION --user LOGIN", errUsage)
	}
	if due != "" {
		if req.Due, err = time.Parse(time.RFC3339, due); err != nil {
			return fmt.Errorf("%w: --due %q is not RFC 3339", errUsage, due)
		}
	}
	u, _, err := actingUser(ctx, st, *login, "case act")
	if err != nil {
		return err
	}
	c, err := console.New(console.Config{Now: time.Now}, st, e.log.With("component", "console")).
		Act(ctx, u, pos[0], pos[1], req)
	var te *domain.TransitionError
	var stale *store.StaleError
	switch {
	case errors.As(err, &te):
		return fmt.Errorf("case %s: %s refused: %s", pos[0], pos[1], text.ErrorMessage(text.ZhCN, te))
	case errors.As(err, &stale):
		return fmt.Errorf("case %s changed meanwhile: %w", pos[0], err)
	case err != nil:
		return fmt.Errorf("case %s: %s: %w", pos[0], pos[1], err)
	}
	fmt.Fprintf(e.out, "case %s: %s recorded; now %s (%s), version %d\n", c.Number, pos[1], c.State,
		text.StateName(text.ZhCN, c.State), c.Version)
	return nil
}

func (e *env) verify(ctx context.Context, args []string) error {
	fs := e.flags("verify")
	_, st, err := e.prepare(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.VerifyChain(ctx); err != nil {
		return err
	}
	last, err := st.LastSeq(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "hash chain intact: %d events, epoch %s\n", last, st.Epoch())
	return nil
}

func (e *env) rebuild(ctx context.Context, args []string) error {
	fs := e.flags("rebuild")
	_, st, err := e.prepare(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.RebuildProjections(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.out, "projections rebuilt from %d events\n", n)
	return nil
}

// table starts a column-aligned listing on the command's output with its header line.
func (e *env) table(header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return tw
}
