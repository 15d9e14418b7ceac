package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Hot words are counted per station, local day and word in board_words: in how many cases of
// that day the word occurs. Segmenting is slow next to SQL, so it is done once per case, by
// SegmentBoardWords, outside the board's refresh; BoardHotWords only sums recent days.

// WordCount is a word and the number of cases it occurs in.
type WordCount struct {
	Word  string
	Cases int
}

// SegmentBoardWords segments up to limit cases whose submission the hot words have not taken
// in yet, with tokenize (which returns the distinct words of a text worth counting). Cases
// submitted before since, in the rules' zone by day, are not segmented, and the counts of
// such days are dropped. It reports whether more cases are waiting.
func (s *Store) SegmentBoardWords(ctx context.Context, tokenize func(string) []string, since time.Time, limit int) (more bool, err error) {
	loc := s.Location()
	first := since.In(loc).Format(time.DateOnly)
	err = s.write(ctx, "segment board words", func(tx *sql.Tx) error {
		for _, q := range []string{`DELETE FROM board_words WHERE day < ?`, `DELETE FROM board_word_cases WHERE day < ?`} {
			if _, err := tx.ExecContext(ctx, q, first); err != nil {
				return fmt.Errorf("board words: prune: %w", err)
			}
		}
		batch, err := wordsBatch(ctx, tx, limit)
		if err != nil {
			return err
		}
		more = len(batch) == limit
		for _, d := range batch {
			if err := foldWords(ctx, tx, d, tokenize, loc, first); err != nil {
				return err
			}
		}
		return nil
	})
	return more, err
}

type wordsCase struct {
	id, station, submitted string
	data                   []byte // nil: the case is gone
}

func wordsBatch(ctx context.Context, tx *sql.Tx, limit int) ([]wordsCase, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.id, coalesce(c.station, ''), coalesce(c.submitted_at, ''), c.data
		FROM board_words_dirty d LEFT JOIN cases c ON c.id = d.id LIMIT ?`, limit)
	out, err := collect(rows, err, scanFields(func(d *wordsCase) []any {
		return []any{&d.id, &d.station, &d.submitted, &d.data}
	}))
	if err != nil {
		return nil, fmt.Errorf("board words: read dirty cases: %w", err)
	}
	return out, nil
}

// foldWords replaces what one case contributed to the word counts by what it contributes now.
func foldWords(ctx context.Context, tx *sql.Tx, d wordsCase, tokenize func(string) []string, loc *time.Location, first string) error {
	var oldStation, oldDay, oldWords string
	err := tx.QueryRowContext(ctx, `SELECT station, day, words FROM board_word_cases WHERE id = ?`, d.id).
		Scan(&oldStation, &oldDay, &oldWords)
	hadOld := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("board words: read %s: %w", d.id, err)
	}
	day := ""
	if d.data != nil && d.submitted != "" {
		at, err := parseTime(d.submitted)
		if err != nil {
			return err
		}
		day = at.In(loc).Format(time.DateOnly)
	}
	keep := day != "" && day >= first
	if _, err := tx.ExecContext(ctx, `DELETE FROM board_words_dirty WHERE id = ?`, d.id); err != nil {
		return fmt.Errorf("board words: clear dirty %s: %w", d.id, err)
	}
	if hadOld && keep && oldStation == d.station && oldDay == day {
		return nil // the text never changes, so neither do its words
	}
	if hadOld {
		if err := addWords(ctx, tx, oldStation, oldDay, splitWords(oldWords), -1); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM board_word_cases WHERE id = ?`, d.id); err != nil {
			return fmt.Errorf("board words: drop %s: %w", d.id, err)
		}
	}
	if !keep {
		return nil
	}
	var c struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(d.data, &c); err != nil {
		return nil // an undecodable case has no words; the board logs it
	}
	words := dedupe(tokenize(c.Text))
	if err := addWords(ctx, tx, d.station, day, words, 1); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO board_word_cases(id, station, day, words) VALUES (?, ?, ?, ?)`,
		d.id, d.station, day, strings.Join(words, "\n"))
	if err != nil {
		return fmt.Errorf("board words: write %s: %w", d.id, err)
	}
	return nil
}

func splitWords(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func dedupe(words []string) []string {
	seen := make(map[string]bool, len(words))
	out := make([]string, 0, len(words))
	for _, w := range words {
		if w != "" && !strings.Contains(w, "\n") && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func addWords(ctx context.Context, tx *sql.Tx, station, day string, words []string, delta int) error {
	for _, w := range words {
		_, err := tx.ExecContext(ctx, `INSERT INTO board_words(station, day, word, n) VALUES (?, ?, ?, ?)
			ON CONFLICT(station, day, word) DO UPDATE SET n = n + excluded.n`, station, day, w, delta)
		if err != nil {
			return fmt.Errorf("board words: count %s: %w", w, err)
		}
	}
	if delta < 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM board_words WHERE station = ? AND day = ? AND n <= 0`, station, day); err != nil {
			return fmt.Errorf("board words: drop empty: %w", err)
		}
	}
	return nil
}

// BoardHotWords returns up to n words that occur in at least minCases cases of a station (""
// for all) submitted on or after since's local day, by number of cases, then by word.
func (s *Store) BoardHotWords(ctx context.Context, station string, since time.Time, minCases, n int) ([]WordCount, error) {
	first := since.In(s.Location()).Format(time.DateOnly)
	rows, err := s.db.QueryContext(ctx, `SELECT word, sum(n) AS k FROM board_words
		WHERE (?1 = '' OR station = ?1) AND day >= ?2 GROUP BY word HAVING k >= ?3
		ORDER BY k DESC, word LIMIT ?4`, station, first, minCases, n)
	out, err := collect(rows, err, scanFields(func(w *WordCount) []any { return []any{&w.Word, &w.Cases} }))
	if err != nil {
		return nil, fmt.Errorf("hot words: %w", err)
	}
	return out, nil
}
