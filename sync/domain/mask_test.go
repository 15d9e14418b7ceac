package domain

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestMasking(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"surname three", MaskSurname, "张三丰", "张*"},
		{"surname two", MaskSurname, "张三", "张*"},
		{"compound surname", MaskSurname, "欧阳测试", "欧阳*"},
		{"compound alone is a plain name", MaskSurname, "欧阳", "欧*"},
		{"latin", MaskSurname, "Test Person", "T*"},
		{"empty name", MaskSurname, " ", ""},
		{"id 18", MaskID, "11010519491231002X", "110105********002X"},
		{"id 18 digits", MaskID, "440524188001010014", "440524********0014"},
		{"id hk permit", MaskID, "810000197810272327", "810000********2327"},
		{"id 15", MaskID, "110105491231002", "110105*****1002"},
		{"id short", MaskID, "H1234567", "H1****67"},
		{"id tiny", MaskID, "123", "***"},
		{"id empty", MaskID, "", ""},
		{"mobile", MaskPhone, "13812345678", "138****5678"},
		{"mobile spaced", MaskPhone, "138 1234 5678", "138 **** 5678"},
		{"landline", MaskPhone, "010-62345678", "010-****5678"},
		{"short", MaskPhone, "62345678", "******78"},
		{"tiny", MaskPhone, "12", "**"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := c.fn(c.in); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestScrubText(t *testing.T) {
	t.Parallel()
	const x = ScrubbedNumber
	cases := []struct{ name, in, want string }{
		{"mobile", "请拨打13812345678联系", "请拨打" + x + "联系"},
		{"mobile with +86", "电话+86 138-1234-5678。", "电话" + x + "。"},
		{"id number", "身份证11010519491231002X谢谢", "身份证" + x + "谢谢"},
		{"id lowercase x", "号码11010519491231002x", "号码" + x},
		{"full-width digits", "电话１３８１２３４５６７８", "电话" + x},
		{"landline", "座机010-62345678或(010)62345678", "座机" + x + "或" + x},
		{"bank card", "卡号6222 0202 0001 2345 678", "卡号" + x},
		{"keeps house numbers", "3号楼2单元501室", "3号楼2单元501室"},
		{"keeps dates", "2026-11-23起路灯不亮", "2026-11-23起路灯不亮"},
		{"keeps amounts", "花了12000元", "花了12000元"},
		{"keeps years", "2025年和2026年", "2025年和2026年"},
		{"plain", "楼道灯坏了", "楼道灯坏了"},
		{"trailing", "1381234567", x},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := ScrubText(c.in); got != c.want {
				t.Fatalf("ScrubText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

var longDigits = regexp.MustCompile(`\d{7,}`)

func FuzzScrubText(f *testing.F) {
	for _, s := range []string{"13812345678", "11010519491231002X", "a1b2c3", "（010）62345678", "+", "1-2-3-4-5-6-7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := ScrubText(s)
		if longDigits.MatchString(out) {
			t.Fatalf("ScrubText(%q) = %q still holds a long number", s, out)
		}
		if !strings.ContainsRune(s, '0') && !strings.ContainsAny(s, "123456789") && out != s {
			// text without ASCII digits may only change through non-ASCII digits
			if !strings.ContainsFunc(s, func(r rune) bool { return r > 127 }) {
				t.Fatalf("ScrubText changed digit-free %q to %q", s, out)
			}
		}
	})
}

func TestIDs(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	if got := CaseNumber("HX01", "K1", day, 7); got != "HX01-K1-20261123-0007" {
		t.Fatalf("CaseNumber = %q", got)
	}
	if got := CaseNumber("HX01", "K2", day, 12345); got != "HX01-K2-20261123-12345" {
		t.Fatalf("CaseNumber large = %q", got)
	}
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 1000; i++ {
		id, tok := NewEventID(), NewToken()
		if len(id) != 36 || id[14] != '7' {
			t.Fatalf("not a UUIDv7: %q", id)
		}
		if id <= prev {
			t.Fatalf("ids not increasing: %q after %q", id, prev)
		}
		prev = id
		if len(tok) != 22 || strings.ContainsAny(tok, "+/=") {
			t.Fatalf("token %q not 22 URL-safe chars", tok)
		}
		if seen[tok] || seen[id] {
			t.Fatal("duplicate id or token")
		}
		seen[tok], seen[id] = true, true
	}
}
