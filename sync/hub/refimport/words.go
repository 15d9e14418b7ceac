package refimport

import (
	"strconv"

	"liaison/sync/domain"
	"liaison/sync/text"
)

// Message words a problem's reason in lang.
func Message(lang string, p Problem) string { return text.Message(lang, p.Code, p.Params) }

// Describe words a problem with its place: the file, a row, or a row's column.
func Describe(lang string, p Problem) string {
	reason := Message(lang, p)
	switch {
	case p.Row == 0:
		return text.Message(lang, domain.CodeImportAtFile, map[string]string{"reason": reason})
	case p.Column == "":
		return text.Message(lang, domain.CodeImportAtRow, map[string]string{"row": strconv.Itoa(p.Row), "reason": reason})
	}
	return text.Message(lang, domain.CodeImportAtCell,
		map[string]string{"row": strconv.Itoa(p.Row), "column": p.Column, "reason": reason})
}

// Summary words a report's outcome: what was (or, for a dry run, would be) done, or why the
// file was refused.
func Summary(lang string, r *Report) string {
	if r.Refused() {
		return text.Message(lang, domain.CodeImportRefused, map[string]string{"count": strconv.Itoa(len(r.Problems))})
	}
	code := domain.CodeImportChecked
	if r.Written {
		code = domain.CodeImportDone
	}
	return text.Message(lang, code, map[string]string{"created": strconv.Itoa(r.Created),
		"updated": strconv.Itoa(r.Updated), "unchanged": strconv.Itoa(r.Same)})
}

// Notices words the columns the import did not read.
func Notices(lang string, r *Report) []string {
	out := make([]string, 0, len(r.Ignored))
	for _, h := range r.Ignored {
		out = append(out, text.Message(lang, domain.CodeImportColumnIgnored, map[string]string{"column": h}))
	}
	return out
}
