package main

import (
	"context"
	"fmt"
	"strings"
	"unicode"
)

// quarantine runs `liaison-hub quarantine list`: the device facts the hub refused at ingest,
// oldest first, each with its refusal code and reason, so an operator sees what a station
// sent that the hub did not admit.
func (e *env) quarantine(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return fmt.Errorf("%w: quarantine list [--device ID] [--code C]", errUsage)
	}
	fs := e.flags("quarantine list")
	device := fs.String("device", "", "only this device's refused facts")
	code := fs.String("code", "", "only refusals with this code (schema, bad_time, scope …)")
	_, st, err := e.prepare(ctx, fs, args[1:])
	if err != nil {
		return err
	}
	defer st.Close()
	refused, err := st.RefusedFacts(ctx, *device)
	if err != nil {
		return err
	}
	tw := e.table("REFUSED AT\tDEVICE\tDEV SEQ\tSTATION\tKIND\tCODE\tREASON\tFACT")
	n := 0
	for _, r := range refused {
		if *code != "" && string(r.Code) != *code {
			continue
		}
		n++
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", localTime(r.RefusedAt), printable(r.Device, 40),
			r.DevSeq, printable(r.Fact.Station, 20), printable(string(r.Fact.Kind), 30), printable(string(r.Code), 20),
			printable(r.Reason, 120), printable(r.Fact.ID, 40))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "%d refused fact(s)\n", n)
	return nil
}

// printable makes what a device sent safe for a terminal: no control characters (a refused
// fact may hold escape sequences), valid UTF-8, at most max runes.
func printable(s string, max int) string {
	s = strings.ToValidUTF8(s, "?")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}
