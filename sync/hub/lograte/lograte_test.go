package lograte

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLimiterBoundsLinesAndCountsTheRest(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := New(slog.New(slog.NewTextHandler(&buf, nil)), 2, time.Minute, func() time.Time { return now })
	for i := range 1000 {
		l.Log(slog.LevelWarn, "refused", "i", i)
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 {
		t.Fatalf("%d lines in one interval, want 2", n)
	}
	now = now.Add(time.Minute)
	l.Log(slog.LevelWarn, "refused", "i", 1000)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[2], "suppressed_before=998") {
		t.Fatalf("after the interval: %q", lines)
	}
}
