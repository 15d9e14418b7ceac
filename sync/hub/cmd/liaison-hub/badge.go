package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"liaison/sync/hub/badgesheet"
	"liaison/sync/hub/store"
)

// badge runs `liaison-hub badge issue|revoke|list|sheet`.
func (e *env) badge(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: badge issue|revoke|list|sheet", errUsage)
	}
	sub, args := args[0], args[1:]
	fs := e.flags("badge " + sub)
	var rep, until, reason, out, login *string
	var payloadOnly *bool
	switch sub {
	case "issue":
		rep = fs.String("rep", "", "representative id, e.g. HX01-R01")
		until = fs.String("until", "", "last valid day, YYYY-MM-DD (default: one year)")
		payloadOnly = fs.Bool("payload-only", false, "print only the QR payload (for scripts)")
	case "revoke":
		reason = fs.String("reason", "", "why, e.g. 遗失")
		login = userFlag(fs)
	case "sheet":
		out = fs.String("pdf", "badges.pdf", "PDF file to write (A4, nine badges a page)")
	case "list":
	default:
		return fmt.Errorf("%w: badge issue|revoke|list|sheet", errUsage)
	}
	pos, st, err := e.prepareEngine(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "issue":
		return e.badgeIssue(ctx, st, *rep, *until, *payloadOnly)
	case "revoke":
		if len(pos) != 1 {
			return fmt.Errorf("%w: badge revoke SERIAL [--reason R] --user LOGIN", errUsage)
		}
		_, actor, err := actingUser(ctx, st, *login, "badge revoke", deskWrite...)
		if err != nil {
			return err
		}
		if _, err := st.RevokeBadge(ctx, pos[0], *reason, actor); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "badge %s revoked; stations refuse it once they have synced\n", pos[0])
		return nil
	case "sheet":
		return e.badgeSheet(ctx, st, *out, pos)
	}
	return e.badgeList(ctx, st)
}

func (e *env) badgeIssue(ctx context.Context, st store.Store, rep, until string, payloadOnly bool) error {
	if rep == "" {
		return fmt.Errorf("%w: badge issue --rep ID [--until YYYY-MM-DD]", errUsage)
	}
	var end time.Time
	if until != "" {
		day, err := time.ParseInLocation(time.DateOnly, until, cst)
		if err != nil {
			return fmt.Errorf("%w: --until wants YYYY-MM-DD", errUsage)
		}
		end = day.AddDate(0, 0, 1) // valid through the whole last day
	}
	b, err := st.IssueBadge(ctx, rep, end)
	if err != nil {
		return err
	}
	if payloadOnly {
		fmt.Fprintln(e.out, b.Payload)
		return nil
	}
	fmt.Fprintf(e.out, "badge %s for %s (%s), valid until %s\n%s\n", b.Serial, b.RepName, b.RepID,
		localTime(b.ValidUntil), b.Payload)
	return nil
}

func (e *env) badgeList(ctx context.Context, st store.Store) error {
	list, err := st.Badges(ctx)
	if err != nil {
		return err
	}
	tw := e.table("SERIAL\tREP\tNAME\tVALID UNTIL\tISSUED\tREVOKED")
	for _, b := range list {
		revoked := "-"
		if b.RevokedAt != nil {
			revoked = localTime(*b.RevokedAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", b.Serial, b.RepID, b.RepName, localTime(b.ValidUntil),
			localTime(b.IssuedAt), revoked)
	}
	return tw.Flush()
}

// badgeSheet prints the badges in force (or the serials given) as an A4 PDF for cutting out.
func (e *env) badgeSheet(ctx context.Context, st store.Store, out string, serials []string) error {
	list, err := st.Badges(ctx)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, s := range serials {
		want[s] = true
	}
	var pick []store.BadgeRecord
	for _, b := range list {
		if len(want) == 0 || want[b.Serial] {
			pick = append(pick, b)
		}
	}
	cards, err := badgesheet.Cards(ctx, st, e.mediaDir(), pick)
	if err != nil {
		return fmt.Errorf("badge sheet: %w", err)
	}
	pdf, err := badgesheet.Render(cards)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, pdf, 0o600); err != nil {
		return fmt.Errorf("write badge sheet %s: %w", out, err)
	}
	pages := (len(cards) + badgesheet.PerPage - 1) / badgesheet.PerPage
	fmt.Fprintf(e.out, "%d badges on %d pages written to %s\n", len(cards), pages, out)
	return nil
}
