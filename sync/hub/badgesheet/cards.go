package badgesheet

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// PhotoPrefix is where the hub serves representatives' photos (domain.Representative.Photo,
// e.g. /media/reps/HX01-R01.jpg?v=…); the files are in the hub's media directory (media/ in
// its data directory) under reps/.
const PhotoPrefix = "/media/reps/"

// Source is what Cards reads from the hub store.
type Source interface {
	Representative(ctx context.Context, id string) (domain.Representative, error)
	Station(ctx context.Context, code string) (domain.Station, error)
}

// ErrNothingToPrint is returned by Cards when no badge in force is left to print.
var ErrNothingToPrint = errors.New("no badge in force to print")

// Cards makes the cards of the badges in force among list (revoked ones carry no payload and
// are skipped), with the representative's name, level, first station and photo. mediaDir is
// the hub's media directory ("" prints no photos); a photo named by the representative but
// missing there prints the card without it.
func Cards(ctx context.Context, src Source, mediaDir string, list []store.BadgeRecord) ([]Card, error) {
	var out []Card
	stations := map[string]string{}
	for _, b := range list {
		if b.Payload == "" {
			continue
		}
		c := Card{Serial: b.Serial, RepID: b.RepID, Name: b.RepName, ValidUntil: b.ValidUntil, Payload: b.Payload}
		rep, err := src.Representative(ctx, b.RepID)
		switch {
		case errors.Is(err, store.ErrUnknownRep):
		case err != nil:
			return nil, fmt.Errorf("badge %s: %w", b.Serial, err)
		default:
			c.Name, c.Level = rep.Name, rep.Level
			if len(rep.Stations) > 0 {
				code := rep.Stations[0]
				name, ok := stations[code]
				if !ok {
					name = code
					if st, err := src.Station(ctx, code); err == nil && st.Name != "" {
						name = st.Name
					}
					stations[code] = name
				}
				c.Station = name
			}
			if c.Photo, err = readPhoto(mediaDir, rep.Photo); err != nil {
				return nil, fmt.Errorf("badge %s: %w", b.Serial, err)
			}
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, ErrNothingToPrint
	}
	return out, nil
}

// readPhoto reads the file of a representative's photo path; nil when there is no photo or
// the file is missing. Only a plain file name under reps/ is read.
func readPhoto(mediaDir, photo string) ([]byte, error) {
	path, _, _ := strings.Cut(photo, "?")
	name, ok := strings.CutPrefix(path, PhotoPrefix)
	if !ok || name == "" || mediaDir == "" || !filepath.IsLocal(name) || strings.ContainsAny(name, `/\`) {
		return nil, nil
	}
	b, err := os.ReadFile(filepath.Join(mediaDir, "reps", name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read photo %s: %w", name, err)
	}
	return b, nil
}
