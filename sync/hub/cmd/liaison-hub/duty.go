package main

import (
	"context"
	"fmt"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/text"
)

const dutyUse = "duty copy-week --station S --from YYYY-MM-DD --to YYYY-MM-DD --user LOGIN"

// duty runs `liaison-hub duty copy-week`: the console's copy-week of the duty roster, each
// copied day a reference fact recorded as the --user person.
func (e *env) duty(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "copy-week" {
		return fmt.Errorf("%w: %s", errUsage, dutyUse)
	}
	fs := e.flags("duty copy-week")
	var req console.CopyWeek
	fs.StringVar(&req.Station, "station", "", "station code")
	fs.StringVar(&req.From, "from", "", "Monday of the week to copy, YYYY-MM-DD")
	fs.StringVar(&req.To, "to", "", "Monday of the week to fill, YYYY-MM-DD")
	login := userFlag(fs)
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 0 || req.Station == "" || req.From == "" || req.To == "" {
		return fmt.Errorf("%w: %s", errUsage, dutyUse)
	}
	_, st, err := e.prepareEngine(ctx, fs, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	u, actor, err := actingUser(ctx, st, *login, "duty copy-week", adminWrite...)
	if err != nil {
		return err
	}
	writes, err := console.DutyWeekWrites(ctx, st, req)
	if domain.ErrorCode(err) != "" {
		return fmt.Errorf("%w: %s", errUsage, text.ErrorMessage(text.ZhCN, err))
	}
	if err != nil {
		return err
	}
	res, err := st.PutRefs(ctx, writes, actor)
	if err != nil {
		return e.refError(err)
	}
	e.log.Info("duty week copied", "station", req.Station, "from", req.From, "to", req.To,
		"copied", len(writes), "changed", len(res.Events), "by", u.Login, "via", "command line")
	fmt.Fprintf(e.out, "%d duty days of %s copied from the week of %s to the week of %s: %d saved, %d unchanged\n",
		len(writes), req.Station, req.From, req.To, len(res.Events), res.Unchanged)
	return nil
}
