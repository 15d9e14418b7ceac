package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// caseShow prints one case and its timeline, worded by text.Timeline as in the console: for
// staff, with officials' notes and the resident's rating comment unscrubbed, the contact
// looks, and the events that did not take effect marked with why.
func (e *env) caseShow(ctx context.Context, args []string) error {
	fs := e.flags("case show")
	pos, st, err := e.prepare(ctx, fs, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if len(pos) != 1 {
		return fmt.Errorf("%w: case show NUMBER", errUsage)
	}
	c, err := st.CaseByNumber(ctx, pos[0])
	if errors.Is(err, store.ErrNotFound) {
		c, err = st.Case(ctx, pos[0])
	}
	if err != nil {
		return err
	}
	evs, err := st.StreamEvents(ctx, c.ID)
	if err != nil {
		return err
	}
	_, applied := domain.Fold(evs, domain.DefaultRules())
	number := func(id string) string {
		if other, err := st.Case(ctx, id); err == nil {
			return other.Number
		}
		return ""
	}
	fmt.Fprintf(e.out, "case %s  %s (%s)  %s\n", c.Number, c.State, text.StateName(text.ZhCN, c.State), c.Category)
	tw := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
	for _, en := range text.Timeline(evs, applied, text.Options{Lang: text.ZhCN, Loc: cst,
		Audience: text.Staff, Submitter: text.Submitter(text.ZhCN, c), CaseNumber: number}) {
		details := en.Text
		if !en.Effective {
			details = strings.TrimSpace(details + " (not applied: " + text.Message(text.ZhCN, en.Reason, en.Params) + ")")
		}
		fmt.Fprintf(tw, "%s\t%s · %s\t%s\n", localTime(en.At), en.Label, en.Actor, details)
	}
	return tw.Flush()
}
