package app

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// LogLine is one recent log record, as the technician screen shows it.
type LogLine struct {
	Time      string `json:"time"`
	Level     string `json:"level"`
	Component string `json:"component"`
	Message   string `json:"message"`
}

// LogRing keeps the most recent log lines in memory for the technician screen.
type LogRing struct {
	mu    sync.Mutex
	lines []LogLine
	next  int
	full  bool
}

// NewLogRing returns a ring holding up to n lines.
func NewLogRing(n int) *LogRing {
	if n < 1 {
		n = 1
	}
	return &LogRing{lines: make([]LogLine, n)}
}

func (r *LogRing) add(l LogLine) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines[r.next] = l
	r.next = (r.next + 1) % len(r.lines)
	if r.next == 0 {
		r.full = true
	}
}

// Last returns up to limit lines, newest last.
func (r *LogRing) Last(limit int) []LogLine {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []LogLine
	if r.full {
		out = append(out, r.lines[r.next:]...)
	}
	out = append(out, r.lines[:r.next]...)
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

// Handler returns a slog.Handler that records into the ring and passes every record on to next.
func (r *LogRing) Handler(next slog.Handler) slog.Handler {
	return &ringHandler{ring: r, next: next}
}

type ringHandler struct {
	ring      *LogRing
	next      slog.Handler
	component string
	attrs     []string
}

func (h *ringHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *ringHandler) Handle(ctx context.Context, rec slog.Record) error {
	if rec.Level >= slog.LevelInfo {
		var b strings.Builder
		b.WriteString(rec.Message)
		for _, a := range h.attrs {
			b.WriteString(" ")
			b.WriteString(a)
		}
		component := h.component
		rec.Attrs(func(a slog.Attr) bool {
			if a.Key == "component" {
				component = a.Value.String()
				return true
			}
			b.WriteString(" ")
			b.WriteString(a.Key + "=" + a.Value.String())
			return true
		})
		h.ring.add(LogLine{
			Time:      rec.Time.Format(time.RFC3339),
			Level:     rec.Level.String(),
			Component: component,
			Message:   b.String(),
		})
	}
	return h.next.Handle(ctx, rec)
}

func (h *ringHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append([]string(nil), h.attrs...)
	for _, a := range attrs {
		if a.Key == "component" {
			c.component = a.Value.String()
			continue
		}
		c.attrs = append(c.attrs, a.Key+"="+a.Value.String())
	}
	c.next = h.next.WithAttrs(attrs)
	return &c
}

func (h *ringHandler) WithGroup(name string) slog.Handler {
	c := *h
	c.next = h.next.WithGroup(name)
	return &c
}
