package sqlitestore

import (
	"strings"
	"unicode"
)

// SQLite's unicode61 tokenizer keeps a run of Han characters together as one token, so
// "路灯" would not be found in "小区路灯坏了". The desk's full-text index therefore stores
// every Han (and kana, hangul) character as its own token, and a query looks for its
// characters as a phrase: adjacent tokens in order. Any run of one or more characters then
// matches wherever it occurs, without a dictionary; Latin words and numbers stay whole tokens.

func splitRune(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// ftsText is s as stored in the index: Han characters set apart by spaces.
func ftsText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	for _, r := range s {
		if splitRune(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ftsQuery turns what a person typed into an FTS5 query: every whitespace-separated term must
// occur, each as a phrase. Double quotes are dropped (they delimit phrases); everything else
// in a term is left to the tokenizer, which ignores punctuation as it did when indexing.
// It returns "" when nothing searchable remains.
func ftsQuery(q string) string {
	var terms []string
	for _, t := range strings.Fields(q) {
		t = strings.ReplaceAll(t, `"`, " ")
		if !searchable(t) {
			continue
		}
		terms = append(terms, `"`+strings.Join(strings.Fields(ftsText(t)), " ")+`"`)
	}
	return strings.Join(terms, " AND ")
}

// searchable reports whether t has a letter or digit, that is a token the index could hold.
func searchable(t string) bool {
	return strings.IndexFunc(t, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
