package app

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
	"liaison/sync/hotword"
)

// Hot words: what residents raised most in the last 30 days. Case text is segmented with gse
// and its embedded simplified-Chinese dictionary, once per case, into the store's per-day
// word counts (store.SegmentBoardWords); the board shows the words found in the most cases.
// Loading the dictionary takes seconds and segmenting a case ~0.1 ms, so both run in the
// background: Board returns the last list at once and asks the wall to refetch when the
// list changes.

const (
	hotWordDays    = 30  // the window, in days
	hotWordCount   = 24  // words on the board
	hotWordMinCase = 2   // a word of a single case is not a trend
	hotWordBatch   = 200 // cases segmented per transaction
	// hotWordEvery is the least time between two refreshes: the words of a month move slowly,
	// and a burst of board refetches should not each sum the month's counts again
	hotWordEvery = 10 * time.Second
)

// hotWordsSource is where a refresh reads and writes, and whom it tells about a change.
type hotWordsSource struct {
	store   *store.Store
	station string
	log     *slog.Logger
	changed func()
}

// hotWords owns the segmenter and the last computed list. The zero value is ready to use.
type hotWords struct {
	mu      sync.Mutex
	tok     *tokenizer // nil until the dictionary is loaded
	loading bool
	busy    bool
	last    time.Time // start of the last refresh, by the machine's clock
	list    []WordWeight
	stopped bool           // set by stop: nothing new starts
	running sync.WaitGroup // the load or refresh under way

	// newTokenizer loads the segmenter; tests replace the embedded dictionary with a small one
	newTokenizer func() (*tokenizer, error)
}

// stop waits for the load or refresh under way and starts none after it, so the store can be
// closed. A refresh under way stops after the batch of cases it is segmenting.
func (h *hotWords) stop() {
	h.mu.Lock()
	h.stopped = true
	h.mu.Unlock()
	h.running.Wait()
}

// current returns the last list and starts, in the background, whatever is not running yet:
// loading the dictionary, or taking new cases in and recomputing the list.
func (h *hotWords) current(src hotWordsSource, now time.Time) []WordWeight {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.stopped:
	case h.tok == nil && !h.loading:
		h.loading = true
		h.running.Add(1)
		go func() {
			defer h.running.Done()
			h.load(src, now)
		}()
	case h.tok != nil && !h.busy && time.Since(h.last) >= hotWordEvery:
		h.busy, h.last = true, time.Now()
		h.running.Add(1)
		go func() {
			defer h.running.Done()
			h.refresh(src, now)
		}()
	}
	return slices.Clone(h.list)
}

func (h *hotWords) load(src hotWordsSource, now time.Time) {
	start := time.Now()
	mk := h.newTokenizer
	if mk == nil {
		mk = newEmbeddedTokenizer
	}
	tok, err := mk()
	h.mu.Lock()
	h.loading = false
	if err != nil {
		h.mu.Unlock()
		src.log.Error("load hot-word dictionary", "err", err)
		return
	}
	h.tok, h.busy, h.last = tok, true, time.Now()
	h.mu.Unlock()
	src.log.Info("hot-word dictionary loaded", "took", time.Since(start).Round(time.Millisecond))
	h.refresh(src, now)
}

// refresh segments the cases not yet taken in, then reads the list; it tells the wall when
// the list changed.
func (h *hotWords) refresh(src hotWordsSource, now time.Time) {
	defer func() {
		h.mu.Lock()
		h.busy = false
		h.mu.Unlock()
	}()
	list, err := h.compute(context.Background(), src, now)
	if errors.Is(err, errHotWordsStopped) {
		return
	}
	if err != nil {
		src.log.Warn("hot words", "err", err)
		return
	}
	h.mu.Lock()
	same := slices.Equal(list, h.list)
	h.list = list
	h.mu.Unlock()
	if !same && src.changed != nil {
		src.changed()
	}
}

var errHotWordsStopped = errors.New("hot words stopped")

func (h *hotWords) isStopped() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stopped
}

// compute is one synchronous refresh; the caller holds the busy flag.
func (h *hotWords) compute(ctx context.Context, src hotWordsSource, now time.Time) ([]WordWeight, error) {
	h.mu.Lock()
	tok := h.tok
	h.mu.Unlock()
	since := now.AddDate(0, 0, -(hotWordDays - 1))
	for more := true; more; {
		if h.isStopped() {
			return nil, errHotWordsStopped
		}
		var err error
		if more, err = src.store.SegmentBoardWords(ctx, tok.Words, since, hotWordBatch); err != nil {
			return nil, err
		}
	}
	// the hub's stop list is left out here too, so the board still shows hotWordCount words
	stopList, err := src.store.WordList(ctx, domain.WordsHotStop)
	if err != nil {
		return nil, err
	}
	stop := wordSet(stopList)
	counts, err := src.store.BoardHotWords(ctx, src.station, since, hotWordMinCase, hotWordCount+len(stop))
	if err != nil {
		return nil, err
	}
	out := make([]WordWeight, 0, len(counts))
	for _, c := range counts {
		if !stop[c.Word] && len(out) < hotWordCount {
			out = append(out, WordWeight{Word: c.Word, Weight: float64(c.Cases)})
		}
	}
	return out, nil
}

// tokenizer is the shared segmenter of hot words (sync/hotword), the same the hub's monthly
// report counts with. It is used by one refresh at a time.
type tokenizer = hotword.Tokenizer

func newEmbeddedTokenizer() (*tokenizer, error) { return hotword.NewEmbedded() }

// newTokenizerFromDict builds a tokenizer over a dictionary in gse's text format ("word freq
// pos" per line).
func newTokenizerFromDict(dict string) (*tokenizer, error) { return hotword.NewFromDict(dict) }
