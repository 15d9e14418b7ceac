package app

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"liaison/app/store"
	"liaison/sync/domain"
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
		if more, err = src.store.SegmentBoardWords(ctx, tok.words, since, hotWordBatch); err != nil {
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

// tokenizer turns a case's text into the words worth counting. It is used by one refresh at
// a time.
type tokenizer struct {
	seg  *gse.Segmenter
	stop map[string]bool
}

func newEmbeddedTokenizer() (*tokenizer, error) {
	return newTokenizerWith(func(seg *gse.Segmenter) error { return seg.LoadDictEmbed("zh_s") })
}

// newTokenizerFromDict builds a tokenizer over a dictionary in gse's text format ("word freq
// pos" per line).
func newTokenizerFromDict(dict string) (*tokenizer, error) {
	return newTokenizerWith(func(seg *gse.Segmenter) error { return seg.LoadDictStr(dict) })
}

// gseLoad serializes building segmenters. gse keeps some state per package: its HMM model
// is a package-level map filled by every Segmenter's Init, which is why the model is not
// loaded at all (words cuts without it); the lock covers whatever else loading shares.
var gseLoad sync.Mutex

func newTokenizerWith(load func(*gse.Segmenter) error) (*tokenizer, error) {
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	gseLoad.Lock()
	err := load(seg)
	gseLoad.Unlock()
	if err != nil {
		return nil, err
	}
	return &tokenizer{seg: seg, stop: stopWordSet()}, nil
}

// words returns the distinct words of a text that can be hot words: two or more Chinese
// characters, not a stop word. Phone and ID numbers are scrubbed first. Segmenting without
// the HMM keeps unknown runs as single characters, which are dropped, instead of guessing
// new "words" across word boundaries (the 期公 of 三期公寓).
func (t *tokenizer) words(text string) []string {
	// the scrubbed-number marker would otherwise become the hot words 号码 and 隐藏
	text = strings.ReplaceAll(domain.ScrubText(text), domain.ScrubbedNumber, " ")
	var out []string
	seen := map[string]bool{}
	for _, w := range t.seg.Cut(text, false) {
		w = strings.TrimSpace(w)
		if seen[w] || utf8.RuneCountInString(w) < 2 || t.stop[w] || !allHan(w) {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return s != ""
}

// stopWords are words that occur in cases of every kind and say nothing about the topic:
// function words, the verbs of asking, and the words of the case form itself.
const stopWords = `我们 你们 他们 她们 它们 自己 大家 这个 那个 这些 那些 这里 那里 这样 那样 这么 那么
什么 怎么 怎样 为什么 如何 哪里 多少 没有 不是 就是 还是 或者 而且 但是 可是 因为 所以 如果
虽然 然后 而是 以及 并且 一个 一些 一下 一直 已经 现在 目前 当前 之前 之后 以后 以前 时候
今天 昨天 明天 每天 经常 总是 非常 特别 比较 十分 很多 许多 太多 不少 有些 有点 有关 相关
关于 对于 由于 通过 进行 存在 出现 发生 造成 导致 影响 情况 问题 事情 方面 地方 部分 东西
希望 建议 要求 请求 反映 反应 提出 请问 麻烦 谢谢 感谢 尽快 及时 能否 是否 可否 能够 可以
需要 应该 应当 必须 不能 不要 不会 不好 不够 不到 不了 一样 这种 那种 各种 其他 其它 之类
解决 处理 落实 协调 帮助 帮忙 关注 考虑 了解 知道 觉得 认为 感觉 看到 听说 发现 表示 说明
居民 群众 老百姓 市民 业主 本人 有人 别人 大约 左右 以上 以下 几个 一次 多次 每次 还有 而且
身份证 电话 手机 号码 联系 联系方式`

func stopWordSet() map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(stopWords) {
		set[w] = true
	}
	return set
}
