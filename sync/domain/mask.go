package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// compoundSurnames are two-character surnames, so 欧阳娜娜 shows as 欧阳* rather than 欧*,
// which would misname the person.
const compoundSurnames = "欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒夏侯轩辕令狐端木西门南宫独孤百里" +
	"呼延澹台公冶宗政濮阳太史申屠钟离闻人赫连"

// MaskSurname keeps only the surname of a full name and marks the rest: 张三丰 → 张*,
// 欧阳娜娜 → 欧阳*. Names without a Chinese surname keep their first letter (John → J*).
// The result never reveals the length of the given name.
func MaskSurname(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if rs := []rune(name); len(rs) > 2 {
		two := string(rs[:2])
		for c := []rune(compoundSurnames); len(c) >= 2; c = c[2:] {
			if string(c[:2]) == two {
				return two + "*"
			}
		}
	}
	r, _ := utf8.DecodeRuneInString(name)
	return string(r) + "*"
}

// MaskID masks an identity document number for display: an 18-character resident ID keeps
// its 6-digit region code and last 4 characters (110105********002X); shorter numbers keep
// about a quarter at each end, and very short ones are masked entirely.
func MaskID(id string) string {
	rs := []rune(strings.TrimSpace(id))
	n := len(rs)
	head, tail := n/4, n/4
	if n >= 15 {
		head, tail = 6, 4
	}
	if n <= 4 {
		head, tail = 0, 0
	}
	return maskMiddle(rs, head, tail)
}

// MaskPhone masks a phone number, keeping the first 3 and last 4 digits of a mobile number
// (138****5678); separators are kept, only digits are replaced. Numbers too short to keep
// 7 digits keep only their last 2.
func MaskPhone(phone string) string {
	rs := []rune(strings.TrimSpace(phone))
	digits := 0
	for _, r := range rs {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	head, tail := 3, 4
	if digits < 10 {
		head, tail = 0, 2
	}
	if digits <= 2 {
		tail = 0
	}
	out := make([]rune, len(rs))
	i := 0
	for k, r := range rs {
		out[k] = r
		if unicode.IsDigit(r) {
			if i >= head && i < digits-tail {
				out[k] = '*'
			}
			i++
		}
	}
	return string(out)
}

func maskMiddle(rs []rune, head, tail int) string {
	var b strings.Builder
	for i, r := range rs {
		if i < head || i >= len(rs)-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// ScrubbedNumber replaces a phone or ID number that ScrubText removes.
const ScrubbedNumber = "[号码已隐藏]"

// ScrubText removes phone numbers, ID numbers and other long numbers (bank cards, 7–8 digit
// landlines) from free text before it is shown in public. A number is a run of digits
// (ASCII or full-width) that may contain single spaces, hyphens, dots or brackets between
// digits, may start with + and, for an ID number, end in X. Runs of 7 or more digits are
// removed, except a calendar date written 2024-11-23; shorter numbers (house numbers,
// amounts, years) are kept. It errs on the side of removing.
func ScrubText(s string) string {
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); {
		end, digits := numberRun(rs, i)
		if end == i {
			b.WriteRune(rs[i])
			i++
			continue
		}
		run := string(rs[i:end])
		if digits >= 7 && !isDate(rs[i:end]) {
			b.WriteString(ScrubbedNumber)
		} else {
			b.WriteString(run)
		}
		i = end
	}
	return b.String()
}

func isNumberSep(r rune) bool {
	switch r {
	case ' ', '-', '.', '(', ')', '（', '）', '－', '—', '\u3000':
		return true
	}
	return false
}

// numberRun returns the end of the number starting at i (i itself when none starts there)
// and how many digits it holds.
func numberRun(rs []rune, i int) (end, digits int) {
	start := i
	if i < len(rs) && (rs[i] == '+' || rs[i] == '(' || rs[i] == '（') && i+1 < len(rs) && unicode.IsDigit(rs[i+1]) {
		i++
	}
	if i >= len(rs) || !unicode.IsDigit(rs[i]) {
		return start, 0
	}
	end = i
	for i < len(rs) {
		switch {
		case unicode.IsDigit(rs[i]):
			digits++
			i++
			end = i
		case isNumberSep(rs[i]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			i++
		case isNumberSep(rs[i]) && (rs[i] == ')' || rs[i] == '）') && i+2 < len(rs) &&
			isNumberSep(rs[i+1]) && unicode.IsDigit(rs[i+2]):
			i += 2
		case (rs[i] == 'X' || rs[i] == 'x') && digits == 17:
			i++
			end = i
			return end, digits
		default:
			return end, digits
		}
	}
	return end, digits
}

// isDate matches yyyy-mm-dd style dates (also with / or .), which have 8 digits but are not
// personal data.
func isDate(rs []rune) bool {
	parts := strings.FieldsFunc(string(rs), func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
		return false
	}
	for _, p := range parts {
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}
