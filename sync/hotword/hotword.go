// Package hotword turns residents' case text into the words worth counting as hot words (民意
// 热词). The station's wall and the hub's monthly report both count with it, so a word is the
// same word on both: gse's segmentation with its embedded simplified-Chinese dictionary, in
// accurate mode without the HMM, two or more Chinese characters, not a stop word, phone and
// ID numbers scrubbed first.
package hotword

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"liaison/sync/domain"
)

// Tokenizer turns a case's text into its words. Words may be called by one goroutine at a
// time; callers that share one serialize their use.
type Tokenizer struct {
	seg  *gse.Segmenter
	stop map[string]bool
}

// NewEmbedded loads gse's embedded simplified-Chinese dictionary (≈350,000 words). It takes
// seconds and some 128 MB of heap: load it once per process, in the background.
func NewEmbedded() (*Tokenizer, error) {
	return newWith(func(seg *gse.Segmenter) error { return seg.LoadDictEmbed("zh_s") })
}

// NewFromDict builds a tokenizer over a dictionary in gse's text format ("word freq pos" per
// line).
func NewFromDict(dict string) (*Tokenizer, error) {
	return newWith(func(seg *gse.Segmenter) error { return seg.LoadDictStr(dict) })
}

// gseLoad serializes building segmenters. gse keeps some state per package: its HMM model
// is a package-level map filled by every Segmenter's Init, which is why the model is not
// loaded at all (words cuts without it); the lock covers whatever else loading shares.
var gseLoad sync.Mutex

func newWith(load func(*gse.Segmenter) error) (*Tokenizer, error) {
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	gseLoad.Lock()
	err := load(seg)
	gseLoad.Unlock()
	if err != nil {
		return nil, err
	}
	return &Tokenizer{seg: seg, stop: StopWordSet()}, nil
}

// Words returns the distinct words of a text that can be hot words: two or more Chinese
// characters, not a stop word. Phone and ID numbers are scrubbed first. Segmenting without
// the HMM keeps unknown runs as single characters, which are dropped, instead of guessing
// new "words" across word boundaries (the 期公 of 三期公寓).
func (t *Tokenizer) Words(text string) []string {
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
// function words, the verbs of asking, and the words of the case form itself. An admin adds
// more through the hub's editable stop list (domain.WordsHotStop).
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

// StopWordSet is the built-in stop list as a set.
func StopWordSet() map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(stopWords) {
		set[w] = true
	}
	return set
}
