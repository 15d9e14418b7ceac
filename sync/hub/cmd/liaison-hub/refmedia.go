package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/console"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

const (
	photoUse = "ref photo REP_ID FILE.jpg|FILE.png --user LOGIN"
	qrUse    = "ref qr REP_ID --public-url URL [--png FILE.png]"
)

// refPhoto runs `liaison-hub ref photo REP_ID FILE`: the console's photo upload. The hub
// resizes the photo, stores it in its media directory and records the representative's new
// photo address as the --user person.
func (e *env) refPhoto(ctx context.Context, args []string) error {
	fs := e.flags("ref photo")
	login := userFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("%w: %s", errUsage, photoUse)
	}
	id, name := pos[0], pos[1]
	data, err := readPhoto(name)
	if err != nil {
		return err
	}
	_, st, err := e.prepareEngine(ctx, fs, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	u, actor, err := actingUser(ctx, st, *login, "ref photo", adminWrite...)
	if err != nil {
		return err
	}
	write, err := console.StorePhoto(ctx, st, e.mediaDir(), id, data)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("representative %s: not found", id)
	case domain.ErrorCode(err) != "":
		return fmt.Errorf("%s: %s", name, text.ErrorMessage(text.ZhCN, err))
	case err != nil:
		return err
	}
	res, err := st.PutRefs(ctx, []store.RefWrite{write}, actor)
	if err != nil {
		return e.refError(err)
	}
	var rep domain.Representative
	if err := json.Unmarshal(write.Data, &rep); err != nil {
		return err
	}
	if len(res.Events) == 0 {
		fmt.Fprintf(e.out, "representative %s already has this photo (%s)\n", id, rep.Photo)
		return nil
	}
	e.log.Info("representative photo stored", "rep", id, "photo", rep.Photo, "by", u.Login, "via", "command line")
	fmt.Fprintf(e.out, "representative %s: photo %s saved; stations receive it on their next sync\n", id, rep.Photo)
	return nil
}

// readPhoto reads an image file, at most one byte more than an upload may have (StorePhoto
// refuses a larger one).
func readPhoto(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, console.MaxPhotoUpload+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return data, nil
}

// refQR runs `liaison-hub ref qr REP_ID`: the representative's 扫码找代表 QR as the console
// gives it, a PNG holding the hub's public page of the representative. The hub does not keep
// its public URL (serve is told it), so the command is told it too.
func (e *env) refQR(ctx context.Context, args []string) error {
	fs := e.flags("ref qr")
	publicURL := fs.String("public-url", "", "the hub's public URL, as given to serve (e.g. https://hub.example.cn)")
	out := fs.String("png", "", "PNG file to write (default REP_ID-qr.png)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: %s", errUsage, qrUse)
	}
	hub, err := hubURL(*publicURL)
	if err != nil {
		return err
	}
	id := pos[0]
	if *out == "" {
		*out = id + "-qr.png"
	}
	_, st, err := e.prepareEngine(ctx, fs, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.RefItem(ctx, domain.KindRepresentativeUpserted, id); errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("representative %s: not found", id)
	} else if err != nil {
		return err
	}
	png, err := console.RepQR(hub, id)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, png, 0o644); err != nil {
		return fmt.Errorf("write QR %s: %w", *out, err)
	}
	fmt.Fprintf(e.out, "QR of representative %s (%s) written to %s\n", id, console.RepPageURL(hub, id), *out)
	return nil
}

// hubURL checks a --public-url and returns it as the console uses it: no trailing slash.
func hubURL(s string) (string, error) {
	if s == "" {
		return "", fmt.Errorf("%w: --public-url is required: the address phones reach the hub at, as given to serve", errUsage)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%w: --public-url %q is not an http(s) address", errUsage, s)
	}
	return strings.TrimRight(s, "/"), nil
}
