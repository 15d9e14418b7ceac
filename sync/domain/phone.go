package domain

import "strings"

// MaxPhoneLen is the longest phone number, as typed, that a fact or reference item may carry.
const MaxPhoneLen = 20

// ValidPhone reports whether p is a number a resident can be called back on: a mainland
// mobile number (11 digits, 1 then 3–9), a landline with its area code (0, then 9 to 11
// digits: 010-12345678, 0755-1234567), or a local landline without it (7 or 8 digits, not
// starting with 0 or 1). Dashes and spaces between the digits are allowed, up to MaxPhoneLen
// characters in all. The kiosk records only such numbers; the hub accepts any phone-like
// number in a fact (phoneLike), which every valid number is. The frontend's
// components/kiosk/submit/validate.ts applies the same rule, and testdata/phones.json holds
// the cases both sides test.
func ValidPhone(p string) bool {
	if len(p) > MaxPhoneLen {
		return false
	}
	p = strings.NewReplacer("-", "", " ", "").Replace(p)
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	switch {
	case len(p) == 11 && p[0] == '1':
		return p[1] >= '3'
	case len(p) >= 10 && len(p) <= 12 && p[0] == '0':
		return p[1] != '0'
	case len(p) == 7 || len(p) == 8:
		return p[0] >= '2'
	}
	return false
}
