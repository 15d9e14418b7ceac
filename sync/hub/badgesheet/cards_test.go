package badgesheet

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

type fakeSource map[string]domain.Representative

func (f fakeSource) Representative(_ context.Context, id string) (domain.Representative, error) {
	r, ok := f[id]
	if !ok {
		return r, store.ErrUnknownRep
	}
	return r, nil
}

func (fakeSource) Station(_ context.Context, code string) (domain.Station, error) {
	if code == "HX01" {
		return domain.Station{Code: code, Name: "幸福里代表联络站"}, nil
	}
	return domain.Station{}, store.ErrUnknownStation
}

func TestCards(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "reps"), 0o700); err != nil {
		t.Fatal(err)
	}
	jpg := photo(t, 1)
	if err := os.WriteFile(filepath.Join(dir, "reps", "R1.jpg"), jpg, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.jpg"), jpg, 0o600); err != nil {
		t.Fatal(err)
	}
	src := fakeSource{
		"R1": {ID: "R1", Name: "张三", Level: "区", Stations: []string{"HX01"}, Photo: "/media/reps/R1.jpg?v=abc"},
		"R2": {ID: "R2", Name: "李四", Level: "镇", Stations: []string{"HX09"}, Photo: "/media/reps/R2.jpg"},
		"R3": {ID: "R3", Name: "王五", Photo: "/media/reps/../secret.jpg"},
	}
	until := time.Date(2027, 12, 5, 16, 0, 0, 0, time.UTC)
	revoked := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	list := []store.BadgeRecord{
		{Serial: "B0001", RepID: "R1", RepName: "张三", ValidUntil: until, Payload: "LB1.a"},
		{Serial: "B0002", RepID: "R2", RepName: "李四", ValidUntil: until, RevokedAt: &revoked},
		{Serial: "B0003", RepID: "R2", RepName: "李四", ValidUntil: until, Payload: "LB1.b"},
		{Serial: "B0004", RepID: "R3", RepName: "王五", ValidUntil: until, Payload: "LB1.c"},
		{Serial: "B0005", RepID: "gone", RepName: "赵六", ValidUntil: until, Payload: "LB1.d"},
	}
	got, err := Cards(context.Background(), src, dir, list)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d cards, want the 4 in force: %+v", len(got), got)
	}
	if c := got[0]; c.Serial != "B0001" || c.Name != "张三" || c.Level != "区" || c.Station != "幸福里代表联络站" ||
		!bytes.Equal(c.Photo, jpg) || c.Payload != "LB1.a" || !c.ValidUntil.Equal(until) {
		t.Errorf("card with photo %+v", c)
	}
	// A missing photo file, a station the hub does not know, a path out of media/reps/ and a
	// representative no longer known all still print.
	if c := got[1]; c.Serial != "B0003" || c.Photo != nil || c.Station != "HX09" {
		t.Errorf("card without its photo file %+v", c)
	}
	if c := got[2]; c.Photo != nil {
		t.Error("a photo path leaving media/reps/ was read")
	}
	if c := got[3]; c.Name != "赵六" || c.Level != "" {
		t.Errorf("card of an unknown representative %+v", c)
	}
	if _, err := Cards(context.Background(), src, dir, list[1:2]); !errors.Is(err, ErrNothingToPrint) {
		t.Errorf("only revoked badges: %v, want ErrNothingToPrint", err)
	}
}
