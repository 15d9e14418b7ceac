package app

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"liaison/sync/domain"
)

// SensitiveWordsFile is the editable list of words the wall never shows, one per line, in the
// data directory.
const SensitiveWordsFile = "sensitive-words.txt"

// Wall serves the live case board.
type Wall struct{ s *Station }

// Board computes the board from the local store.
func (w *Wall) Board() (*Board, error) {
	s := w.s
	if err := s.ready(); err != nil {
		return nil, err
	}
	ctx := context.Background()
	cases, err := s.store.StationCases(ctx, s.id.station)
	if err != nil {
		s.log.Error("board cases", "err", err)
		return nil, errorf(CodeStoreFailed, "读取事项失败")
	}
	projects, err := s.store.Projects(ctx)
	if err != nil {
		s.log.Warn("board projects", "err", err)
	}
	now := s.now()
	in := boardInput{
		stationName: s.id.stationName, cases: cases, categories: s.categoryNames(ctx),
		duty: s.dutyBoard(ctx), activities: s.activityBoard(ctx, now), projects: projects,
		sensitive: s.sensitiveWords(),
	}
	in.offlineSince = s.status(ctx).Sync.OfflineSince
	b := computeBoard(in, now, domain.DefaultRules())
	return &b, nil
}

func (s *Station) dutyBoard(ctx context.Context) []DutyRep {
	duty := s.dutyToday(ctx)
	reps, err := s.store.Representatives(ctx)
	if err != nil {
		return nil
	}
	var out []DutyRep
	for _, r := range reps {
		if duty.rostered[r.ID] || duty.signedIn[r.ID] {
			out = append(out, DutyRep{Name: r.Name, Level: r.Level, SignedIn: duty.signedIn[r.ID]})
		}
	}
	return out
}

func (s *Station) activityBoard(ctx context.Context, now time.Time) []BoardActivity {
	acts, err := s.store.Activities(ctx)
	if err != nil {
		return nil
	}
	var out []BoardActivity
	horizon := now.AddDate(0, 0, 7)
	for _, a := range acts {
		if a.Ends.Before(now) || a.Starts.After(horizon) {
			continue
		}
		if s.id.station != "" && a.Station != "" && a.Station != s.id.station {
			continue
		}
		cnt, _ := s.store.ActivityCounts(ctx, a.ID)
		out = append(out, BoardActivity{Title: a.Title, Starts: a.Starts.Format(time.RFC3339),
			Ends: a.Ends.Format(time.RFC3339), Place: a.Place, Attended: cnt.Attended,
			Capacity: a.Capacity, Live: activityState(a, now) == "live"})
	}
	return out
}

// sensitiveWords reads the editable list; a missing file means no extra words.
func (s *Station) sensitiveWords() []string {
	f, err := os.Open(filepath.Join(s.cfg.DataDir, SensitiveWordsFile))
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if w != "" && !strings.HasPrefix(w, "#") {
			out = append(out, w)
		}
	}
	return out
}
