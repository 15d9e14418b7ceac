package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"liaison/sync/domain"
	"liaison/sync/hub/refimport"
	"liaison/sync/text"
)

// errRefused ends a command whose refusal has been printed already: exit 1, nothing more.
var errRefused = errors.New("refused")

const importUsage = "import station|department|representative|duty_roster FILE [--dry-run] | KIND --template [FILE]"

// importRef runs `liaison-hub import KIND FILE [--dry-run]` and `import KIND --template [FILE]`.
func (e *env) importRef(ctx context.Context, args []string) error {
	fs := e.flags("import")
	dry := fs.Bool("dry-run", false, "check the file and show what would change, writing nothing")
	tmpl := fs.Bool("template", false, "write the kind's XLSX template (to FILE, - for standard output)")
	login := userFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || len(pos) > 2 {
		return fmt.Errorf("%w: %s", errUsage, importUsage)
	}
	kind, ok := refimport.ParseKind(pos[0])
	if !ok {
		fmt.Fprintln(e.out, text.Message(text.ZhCN, domain.CodeImportKindUnknown, map[string]string{"kind": pos[0]}))
		return errRefused
	}
	if *tmpl {
		name := refimport.TemplateName(kind)
		if len(pos) == 2 {
			name = pos[1]
		}
		return e.writeTemplate(kind, name)
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: %s", errUsage, importUsage)
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return fmt.Errorf("open %s: %w", pos[1], err)
	}
	defer f.Close()
	if err := e.openLog(slog.LevelWarn); err != nil {
		return err
	}
	st, err := e.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	// A dry run writes nothing, so it needs no one acting.
	var actor domain.Actor
	if !*dry || *login != "" {
		if _, actor, err = actingUser(ctx, st, *login, "import", adminWrite...); err != nil {
			return err
		}
	}
	rep, err := refimport.New(st, nil).Run(ctx, kind, bufio.NewReader(f), *dry, actor)
	if err != nil {
		return err
	}
	for _, n := range refimport.Notices(text.ZhCN, rep) {
		fmt.Fprintln(e.out, n)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(e.out, refimport.Describe(text.ZhCN, p))
	}
	fmt.Fprintln(e.out, refimport.Summary(text.ZhCN, rep))
	if rep.Refused() {
		return errRefused
	}
	return nil
}

func (e *env) writeTemplate(kind refimport.Kind, name string) error {
	if name == "-" {
		return refimport.Template(e.out, kind)
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	if err := refimport.Template(f, kind); err != nil {
		f.Close()
		os.Remove(name)
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	fmt.Fprintln(e.out, text.Message(text.ZhCN, domain.CodeImportTemplateWritten, map[string]string{"file": name}))
	return nil
}
