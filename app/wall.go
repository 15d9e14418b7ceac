package app

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"liaison/sync/domain"
)

// SensitiveWordsFile is the editable list of words the wall never shows, one per line, in the
// data directory. The station writes defaultSensitiveWords there when the file is missing.
const SensitiveWordsFile = "sensitive-words.txt"

// Wall serves the live case board.
type Wall struct {
	Base
	status StatusSource

	sensMu    sync.Mutex
	sensMod   time.Time // modification time of the list last read
	sensWords []string

	hot hotWords
}

// NewWall returns the wall's service; status gives the board its offline mark.
func NewWall(b Base, status StatusSource) *Wall {
	return &Wall{Base: b.withDefaults(), status: status}
}

// Board computes the board from the local store. The case figures come from aggregates the
// store keeps up to date (store.BoardFigures); hot words come from a background segmenter and
// never hold the refresh up.
func (w *Wall) Board() (*Board, error) {
	if err := w.ready(); err != nil {
		return nil, err
	}
	ctx := context.Background()
	now := w.Now()
	loc := w.Store.Location()
	id := w.id()
	fig, err := w.Store.BoardFigures(ctx, id.Station, now, tickerLen)
	if err != nil {
		w.Log.Error("board figures", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	projects, err := w.Store.Projects(ctx)
	if err != nil {
		w.Log.Warn("board projects", "err", err)
	}
	ranking, hasRanking, err := w.Store.LatestRanking(ctx)
	if err != nil {
		w.Log.Warn("board ranking", "err", err)
	}
	in := boardInput{
		stationName: id.StationName, figures: fig, categories: w.categoryNames(ctx),
		duty: w.dutyBoard(ctx), activities: w.activityBoard(ctx, now), projects: projects,
		hotWords: dropWords(w.hot.current(hotWordsSource{store: w.Store, station: id.Station, log: w.Log,
			changed: w.changed}, now), w.hotStopWords(ctx)),
		filter: wordFilter{words: w.screenWords(ctx)},
	}
	if hasRanking {
		in.ranking = &ranking
	}
	if w.status != nil {
		in.offlineSince = w.status.Status(ctx).Sync.OfflineSince
	}
	b := computeBoard(in, now, loc)
	return &b, nil
}

// changed tells the wall to fetch the board again, e.g. when the hot words moved.
func (w *Wall) changed() { w.Notify.Emit(EventBoardChanged, struct{}{}) }

func (w *Wall) dutyBoard(ctx context.Context) []DutyRep {
	duty := w.dutyToday(ctx)
	reps, err := w.Store.Representatives(ctx)
	if err != nil {
		return nil
	}
	var out []DutyRep
	for _, r := range reps {
		if !r.Retired && (duty.rostered[r.ID] || duty.signedIn[r.ID]) {
			out = append(out, DutyRep{Name: r.Name, Level: r.Level, SignedIn: duty.signedIn[r.ID]})
		}
	}
	return out
}

func (w *Wall) activityBoard(ctx context.Context, now time.Time) []BoardActivity {
	acts, err := w.Store.Activities(ctx)
	if err != nil {
		return nil
	}
	var out []BoardActivity
	horizon := now.AddDate(0, 0, 7)
	for _, a := range acts {
		if a.Ends.Before(now) || a.Starts.After(horizon) {
			continue
		}
		if !w.ourStation(a.Station) {
			continue
		}
		cnt, _ := w.Store.ActivityCounts(ctx, a.ID)
		out = append(out, BoardActivity{Title: a.Title, Starts: a.Starts.Format(time.RFC3339),
			Ends: a.Ends.Format(time.RFC3339), Place: a.Place, Attended: cnt.Attended,
			Capacity: a.Capacity, Live: activityState(a, now) == "live"})
	}
	return out
}

// sensitiveWords returns the editable list, read again only when the file changed. A missing
// file is replaced by the default list, so a new station screens text from its first day
// and the technician has a file to edit.
func (w *Wall) sensitiveWords() []string {
	path := filepath.Join(w.Config.DataDir, SensitiveWordsFile)
	w.sensMu.Lock()
	defer w.sensMu.Unlock()
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := writeDefaultSensitiveWords(path); err != nil {
			w.Log.Warn("write default sensitive words", "path", path, "err", err)
			w.sensWords = parseSensitiveWords(defaultSensitiveWords)
			return w.sensWords
		}
		st, err = os.Stat(path)
	}
	if err != nil {
		w.Log.Warn("sensitive words", "path", path, "err", err)
		return w.sensWords // keep screening with what was last read
	}
	if w.sensWords != nil && st.ModTime().Equal(w.sensMod) {
		return w.sensWords
	}
	b, err := os.ReadFile(path)
	if err != nil {
		w.Log.Warn("read sensitive words", "path", path, "err", err)
		return w.sensWords
	}
	w.sensWords, w.sensMod = parseSensitiveWords(string(b)), st.ModTime()
	return w.sensWords
}

// screenWords are the words the wall masks: the station's own list (SensitiveWordsFile) and
// the street's sensitive-word list kept on the hub (the reference data's word list
// domain.WordsSensitive), longest first.
func (w *Wall) screenWords(ctx context.Context) []string {
	own := w.sensitiveWords()
	hub, err := w.Store.WordList(ctx, domain.WordsSensitive)
	if err != nil {
		w.Log.Warn("read the hub's sensitive words", "err", err)
	}
	if len(hub) == 0 {
		return own
	}
	return parseSensitiveWords(strings.Join(own, "\n") + "\n" + strings.Join(hub, "\n"))
}

// hotStopWords is the hub's hot-word stop list (domain.WordsHotStop): words the wall never
// shows as hot words, on top of the built-in stop words.
func (w *Wall) hotStopWords(ctx context.Context) map[string]bool {
	words, err := w.Store.WordList(ctx, domain.WordsHotStop)
	if err != nil {
		w.Log.Warn("read the hot-word stop list", "err", err)
	}
	return wordSet(words)
}

func wordSet(words []string) map[string]bool {
	set := make(map[string]bool, len(words))
	for _, x := range words {
		set[strings.TrimSpace(x)] = true
	}
	return set
}

// dropWords leaves out the hot words in stop.
func dropWords(ws []WordWeight, stop map[string]bool) []WordWeight {
	if len(stop) == 0 {
		return ws
	}
	out := make([]WordWeight, 0, len(ws))
	for _, x := range ws {
		if !stop[x.Word] {
			out = append(out, x)
		}
	}
	return out
}

func writeDefaultSensitiveWords(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	// O_EXCL: never overwrite a list a technician wrote meanwhile
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := f.WriteString(defaultSensitiveWords); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseSensitiveWords reads one word per line; blank lines and lines starting with # are
// skipped. Longer words come first so that a word containing another is masked whole.
func parseSensitiveWords(text string) []string {
	out := []string{}
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if w == "" || strings.HasPrefix(w, "#") || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	slices.SortStableFunc(out, func(a, b string) int {
		return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
	})
	return out
}

// wordFilter screens every text the wall shows: phone and ID numbers are removed
// (domain.ScrubText), a name given after a cue (我叫…, 姓名…) is cut to the masked surname, and
// each sensitive word is replaced by as many asterisks. (The segmenter's dictionary also tags
// person names, but it tags ordinary words such as 养老 and 长青 too, so it is not used here.)
type wordFilter struct{ words []string }

func (f wordFilter) mask(s string) string {
	s = maskNamedPersons(domain.ScrubText(s))
	if s == "" {
		return s
	}
	lower := strings.ToLower(s)
	for _, w := range f.words {
		lw := strings.ToLower(w)
		if lw == "" || !strings.Contains(lower, lw) {
			continue
		}
		stars := strings.Repeat("*", utf8.RuneCountInString(w))
		s = replaceFold(s, lw, stars)
		lower = strings.ToLower(s)
	}
	return s
}

// nameCues introduce the writer's or someone's name in free text.
const nameCues = "我叫 名叫 叫做 姓名 联系人 本人姓"

// maskNamedPersons replaces the name after a cue (up to four Chinese characters, after an
// optional colon or 是) by its masked surname. It may take a character too many (我叫张三丰反映 →
// 我叫张*映); on a public screen that is the better mistake.
func maskNamedPersons(s string) string {
	for _, cue := range strings.Fields(nameCues) {
		var b strings.Builder
		rest := s
		for {
			i := strings.Index(rest, cue)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			b.WriteString(rest[:i+len(cue)])
			rest = rest[i+len(cue):]
			rs := []rune(rest)
			j := 0
			for j < len(rs) && strings.ContainsRune("：:是 ", rs[j]) {
				j++
			}
			k := j
			for k < len(rs) && k-j < 4 && unicode.Is(unicode.Han, rs[k]) {
				k++
			}
			if k-j >= 2 {
				b.WriteString(string(rs[:j]) + domain.MaskSurname(string(rs[j:k])))
				rest = string(rs[k:])
			}
		}
		s = b.String()
	}
	return s
}

// replaceFold replaces every occurrence of lw (lower case) in s, ignoring case. Lower-casing
// may change byte lengths, so it walks rune by rune rather than by byte offsets of lower(s).
func replaceFold(s, lw, repl string) string {
	var b strings.Builder
	n := utf8.RuneCountInString(lw)
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if i+n <= len(rs) && strings.ToLower(string(rs[i:i+n])) == lw {
			b.WriteString(repl)
			i += n
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	return b.String()
}

// text is mask, then cut to n characters.
func (f wordFilter) text(s string, n int) string {
	s = f.mask(s)
	if rs := []rune(s); len(rs) > n {
		s = string(rs[:n]) + "…"
	}
	return s
}

// hotWords drops hot words that the filter would change.
func (f wordFilter) hotWords(ws []WordWeight) []WordWeight {
	out := make([]WordWeight, 0, len(ws))
	for _, w := range ws {
		if f.mask(w.Word) == w.Word {
			out = append(out, w)
		}
	}
	return out
}

// defaultSensitiveWords is the list a station starts with: abuse and threats that have no
// place on a public screen. Districts extend it in the data directory.
const defaultSensitiveWords = `# 墙屏敏感词：每行一个词，墙屏显示的所有文字中出现的这些词会被替换为 *。
# 以 # 开头的行是注释。修改后无需重启，下一次刷新即生效。
# 电话号码和身份证号码无论是否列在这里都不会显示。
傻逼
煞笔
傻B
他妈的
妈的
操你
草你
尼玛
狗日的
王八蛋
混蛋
滚蛋
去死
废物
贱人
畜生
人渣
狗官
贪官
黑社会
砍死
杀了你
弄死
炸掉
放火
自杀
跳楼
`
