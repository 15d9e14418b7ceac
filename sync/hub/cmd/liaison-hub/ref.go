package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

const refUse = "ref list KIND [--json] [--station S] | ref put KIND FILE.json|- | ref retire|restore KIND KEY | " +
	photoUse + " | " + qrUse

// maxRefFile bounds a file of items given to ref put.
const maxRefFile = 64 << 20

// ref runs `liaison-hub ref list|put|retire|restore|photo|qr`: the reference data, read and
// written as the console's setup pages do, each write a reference event with the --user
// person as actor.
func (e *env) ref(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", errUsage, refUse)
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "photo":
		return e.refPhoto(ctx, args)
	case "qr":
		return e.refQR(ctx, args)
	}
	fs := e.flags("ref " + sub)
	asJSON := fs.Bool("json", false, "list: print the items as a JSON array (ref put reads it back)")
	station := fs.String("station", "", "list: only the items of this station")
	var login *string
	if sub != "list" {
		login = userFlag(fs)
	}
	switch sub {
	case "list", "put", "retire", "restore":
	default:
		return fmt.Errorf("%w: %s", errUsage, refUse)
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"list": 1, "put": 2, "retire": 2, "restore": 2}[sub]
	if len(pos) != want {
		return fmt.Errorf("%w: %s", errUsage, refUse)
	}
	rk, ok := domain.LookupRefKind(pos[0])
	if !ok {
		var names []string
		for _, k := range domain.RefKinds {
			names = append(names, k.Name)
		}
		return fmt.Errorf("%w: KIND is one of %s", errUsage, strings.Join(names, ", "))
	}
	var items []json.RawMessage
	if sub == "put" {
		if items, err = e.readItems(pos[1]); err != nil {
			return err
		}
	}
	_, st, err := e.prepareEngine(ctx, fs, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "list" {
		return e.refList(ctx, st, rk, *station, *asJSON)
	}
	u, actor, err := actingUser(ctx, st, *login, "ref "+sub, adminWrite...)
	if err != nil {
		return err
	}
	switch sub {
	case "put":
		writes := make([]store.RefWrite, 0, len(items))
		for i, it := range items {
			key, err := domain.RefKey(rk.Kind, it)
			if err != nil {
				return fmt.Errorf("item %d: %s", i+1, text.ErrorMessage(text.ZhCN, err))
			}
			writes = append(writes, store.RefWrite{Kind: rk.Kind, Key: key, Data: it})
		}
		res, err := st.PutRefs(ctx, writes, actor)
		if err != nil {
			return e.refError(err)
		}
		e.log.Info("reference data put", "kind", rk.Kind, "changed", len(res.Events), "unchanged", res.Unchanged, "by", u.Login, "via", "command line")
		fmt.Fprintf(e.out, "%d saved, %d unchanged\n", len(res.Events), res.Unchanged)
		return nil
	default:
		if rk.Retire == "" {
			return fmt.Errorf("%w: %s items are edited with ref put, not retired", errUsage, rk.Name)
		}
		key := pos[1]
		item, err := st.RefItem(ctx, rk.Kind, key)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s %s: not found", rk.Name, key)
		}
		if err != nil {
			return err
		}
		data, err := console.SetRetired(rk, item, sub == "retire")
		if err != nil {
			return err
		}
		res, err := st.PutRefs(ctx, []store.RefWrite{{Kind: rk.Kind, Key: key, Data: data}}, actor)
		if err != nil {
			return e.refError(err)
		}
		state := map[string]string{"retire": "retired", "restore": "active"}[sub]
		if len(res.Events) == 0 {
			fmt.Fprintf(e.out, "%s %s was already %s\n", rk.Name, key, state)
			return nil
		}
		e.log.Info("reference item "+state, "kind", rk.Kind, "key", key, "by", u.Login, "via", "command line")
		fmt.Fprintf(e.out, "%s %s %s; stations receive it on their next sync\n", rk.Name, key, state)
		return nil
	}
}

// readItems reads one item or a JSON array of items from a file, or from stdin for "-".
func (e *env) readItems(name string) ([]json.RawMessage, error) {
	var r io.Reader = e.in
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxRefFile))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(data) > 0 && data[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, fmt.Errorf("%s: not a JSON array of items: %w", name, err)
		}
		return items, nil
	}
	if !json.Valid(data) {
		return nil, fmt.Errorf("%s: not JSON", name)
	}
	return []json.RawMessage{data}, nil
}

// refError words a refused write with every problem.
func (e *env) refError(err error) error {
	var refused *store.RefRefused
	if !errors.As(err, &refused) {
		return err
	}
	for _, p := range refused.Problems {
		field := p.Field
		if field == "" {
			field = "-"
		}
		fmt.Fprintf(e.errOut, "  item %d %s %s: %s (%s)\n", p.Index+1, p.Key, field,
			text.Message(text.ZhCN, p.Code, p.Params), p.Code)
	}
	return fmt.Errorf("refused, nothing saved")
}

func (e *env) refList(ctx context.Context, st store.Store, rk domain.RefKind, station string, asJSON bool) error {
	raw, err := st.RefData(ctx, rk.Kind, "")
	if err != nil {
		return err
	}
	var items []json.RawMessage
	for _, it := range raw {
		if station == "" || domain.RefScope(rk.Kind, it) == station || listsStation(it, station) {
			items = append(items, it)
		}
	}
	if asJSON {
		if items == nil {
			items = []json.RawMessage{}
		}
		b, err := json.MarshalIndent(items, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.out, "%s\n", b)
		return err
	}
	tw := e.table("KEY\tNAME\tSTATION\tSTATE")
	for _, it := range items {
		key, _ := domain.RefKey(rk.Kind, it)
		var f struct {
			Name     string   `json:"name"`
			Title    string   `json:"title"`
			Station  string   `json:"station"`
			Stations []string `json:"stations"`
			RepIDs   []string `json:"rep_ids"`
			Words    []string `json:"words"`
			Holidays []any    `json:"holidays"`
		}
		_ = json.Unmarshal(it, &f)
		name := f.Name
		switch rk.Kind {
		case domain.KindActivityUpserted:
			name = f.Title
		case domain.KindDutyRosterUpserted:
			name = strings.Join(f.RepIDs, "、")
		case domain.KindWordListUpserted:
			name = strconv.Itoa(len(f.Words)) + " words"
		case domain.KindCalendarUpserted:
			name = strconv.Itoa(len(f.Holidays)) + " holidays"
		}
		where := f.Station
		if len(f.Stations) > 0 {
			where = strings.Join(f.Stations, ",")
		}
		state := "active"
		if domain.RefRetired(rk.Kind, it) {
			state = map[bool]string{true: "cancelled", false: "retired"}[rk.Kind == domain.KindActivityUpserted]
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", key, name, where, state)
	}
	return tw.Flush()
}

// listsStation reports whether an item names the station in its stations (a representative).
func listsStation(item []byte, station string) bool {
	var f struct {
		Stations []string `json:"stations"`
	}
	if json.Unmarshal(item, &f) != nil {
		return false
	}
	for _, s := range f.Stations {
		if s == station {
			return true
		}
	}
	return false
}
