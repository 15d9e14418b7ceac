package refimport

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"liaison/sync/domain"
)

const sampleCSV = "编号,姓名,性别\r\nHX01-R01,张三,男\r\nHX01-R02,李四,女\r\n"

func encode(t testing.TB, tr transform.Transformer, s string) []byte {
	t.Helper()
	b, _, err := transform.Bytes(tr, []byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// encodings returns the sample written in every encoding a file may come in.
func encodings(t testing.TB, s string) map[string][]byte {
	return map[string][]byte{
		"utf-8":        []byte(s),
		"utf-8 bom":    append([]byte{0xef, 0xbb, 0xbf}, s...),
		"gb18030":      encode(t, simplifiedchinese.GB18030.NewEncoder(), s),
		"gbk":          encode(t, simplifiedchinese.GBK.NewEncoder(), s),
		"utf-16le bom": encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder(), s),
		"utf-16be bom": encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder(), s),
	}
}

func TestDecodeTextEveryEncoding(t *testing.T) {
	t.Parallel()
	for name, b := range encodings(t, sampleCSV) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeText(b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got != sampleCSV {
				t.Errorf("decoded %q, want %q", got, sampleCSV)
			}
		})
	}
}

func TestDecodeTextRefusesWhatIsNotText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		b    []byte
	}{
		{"utf-16 without its mark", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewEncoder(), sampleCSV)},
		{"bad utf-8 after a utf-8 mark", append([]byte{0xef, 0xbb, 0xbf}, 0xff, 0xfe, 0xfd)},
		{"bytes no gb18030 decoder takes", []byte{0x81, 0x30, 0x81}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeText(tt.b)
			var re *readError
			if !errors.As(err, &re) || re.code != domain.CodeImportFileEncoding {
				t.Errorf("got %v, want %s", err, domain.CodeImportFileEncoding)
			}
		})
	}
}

func nums(rows []row) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = r.num
	}
	return out
}

// Rows are numbered as a spreadsheet shows the file: blank lines are rows, a quoted cell over
// several lines is one.
func TestReadCSVNumbersRowsAsASpreadsheetDoes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		text  string
		nums  []int
		cells [][]string
	}{
		{"plain", sampleCSV, []int{1, 2, 3}, nil},
		{"blank lines", "编号,姓名\n\nA1,张三\n\n\nA2,李四\n", []int{1, 3, 6}, nil},
		{"a blank row of commas", "编号,姓名\n,\nA1,张三\n", []int{1, 3}, nil},
		{"quoted cell over lines", "编号,简介\nA1,\"第一行\n第二行\"\nA2,短\n", []int{1, 2, 3},
			[][]string{{"编号", "简介"}, {"A1", "第一行\n第二行"}, {"A2", "短"}}},
		{"tabs", "编号\t姓名\nA1\t张三, 李四\n", []int{1, 2}, [][]string{{"编号", "姓名"}, {"A1", "张三, 李四"}}},
		{"semicolons", "编号;姓名\nA1;张三\n", []int{1, 2}, [][]string{{"编号", "姓名"}, {"A1", "张三"}}},
		{"no final newline, spaces trimmed", "编号,姓名\n A1 ,\u3000张三\u3000", []int{1, 2},
			[][]string{{"编号", "姓名"}, {"A1", "张三"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab, err := readCSV(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if got := nums(tab.rows); !slices.Equal(got, tt.nums) {
				t.Errorf("rows %v, want %v", got, tt.nums)
			}
			for i, want := range tt.cells {
				if !slices.Equal(tab.rows[i].cells, want) {
					t.Errorf("row %d cells %q, want %q", i, tab.rows[i].cells, want)
				}
			}
		})
	}
}

func TestReadTableLimits(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("a"), MaxFileSize+1)
	var many strings.Builder
	many.WriteString("编码,名称\n")
	for i := range MaxRows + headerScan + 2 {
		many.WriteString("D" + itoa(i) + ",单位\n")
	}
	tests := []struct {
		name string
		b    []byte
		code string
	}{
		{"empty", []byte(" \n\r\n"), domain.CodeImportFileEmpty},
		{"too large", big, domain.CodeImportFileTooLarge},
		{"too many rows", []byte(many.String()), domain.CodeImportTooManyRows},
		{"a zip that is no workbook", []byte("PK\x03\x04garbage"), domain.CodeImportFileUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readTable(bytes.NewReader(tt.b), func([]row) bool { return true })
			var re *readError
			if !errors.As(err, &re) || re.code != tt.code {
				t.Errorf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func TestHeaderMatchingIsTolerant(t *testing.T) {
	t.Parallel()
	r := row{num: 3, cells: []string{"序号", "所属联络站（多个用、分隔）", "姓　名", "编号*", "ＩＤ", "备注", "", "层级:"}}
	l := matchHeader(Representatives, r)
	want := map[string]int{"stations": 1, "name": 2, "id": 3, "level": 7}
	for f, i := range want {
		if l.at[f] != i {
			t.Errorf("%s at %d, want %d", f, l.at[f], i)
		}
	}
	if !slices.Equal(l.ignored, []string{"序号", "备注"}) {
		t.Errorf("ignored %q", l.ignored)
	}
	if len(l.dup) != 1 || l.dup[0].header != "ＩＤ" {
		t.Errorf("duplicates %v, want ＩＤ (a second 编号)", l.dup)
	}
	if !isHeader(Representatives, r) {
		t.Error("not taken as the header")
	}
	if isHeader(Representatives, row{cells: []string{"姓名", "性别"}}) {
		t.Error("a row without 编号 taken as the header")
	}
	rows := []row{{num: 1, cells: []string{"和谐街道人大代表名册"}}, {num: 2, cells: []string{"编号", "姓名"}}}
	if got := findHeader(Representatives, rows); got != 1 {
		t.Errorf("header at %d, want 1 (below the title row)", got)
	}
}

func TestSplitList(t *testing.T) {
	t.Parallel()
	got := splitList("幸福里社区、长青社区，明月社区;新桥社区；枫林社区,幸福里社区、 ")
	want := []string{"幸福里社区", "长青社区", "明月社区", "新桥社区", "枫林社区"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDateAndClock(t *testing.T) {
	t.Parallel()
	dates := map[string]string{
		"2026-12-07": "2026-12-07", "2026/12/7": "2026-12-07", "2026.12.7": "2026-12-07",
		"2026年12月7日": "2026-12-07", "20261207": "2026-12-07", "2026-12-07（周一）": "2026-12-07",
		"2026-12-07 星期一": "2026-12-07", "2026-12-07 00:00:00": "2026-12-07", "２０２６－１２－０７": "2026-12-07",
		"46363": "2026-12-07", "46363.375": "2026-12-07",
		"2026-02-30": "", "12-07-26": "", "7": "", "明天": "",
	}
	for in, want := range dates {
		got, ok := date(in, false)
		if ok != (want != "") || got != want {
			t.Errorf("date(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	clocks := map[string]int{
		"9:00": 540, "09:30": 570, "9:00:00": 540, "9点": 540, "9点30分": 570, "14时": 840, "９：００": 540,
		"0.375": 540, "0.7083333333": 1020, "24:00": 1440,
		"25:00": -1, "9:60": -1, "nine": -1, "9": -1,
	}
	for in, want := range clocks {
		got, ok := clock(in)
		if ok != (want >= 0) || (ok && got != want) {
			t.Errorf("clock(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
}

func TestTemplateReadsBack(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Template(&buf, k); err != nil {
				t.Fatal(err)
			}
			tab, err := readTable(&buf, func(top []row) bool { return findHeader(k, top) >= 0 })
			if err != nil {
				t.Fatal(err)
			}
			if h := findHeader(k, tab.rows); h != 0 {
				t.Fatalf("header at %d, want the first row", h)
			}
			l := matchHeader(k, tab.rows[0])
			if len(l.at) != len(Columns[k]) || len(l.ignored) != 0 {
				t.Errorf("template header reads as %v, ignored %q", l.at, l.ignored)
			}
			if len(tab.rows) != 2 || tab.rows[1].num != 2 {
				t.Fatalf("rows %v, want the header and one example", nums(tab.rows))
			}
			for i, c := range Columns[k] {
				if got := tab.rows[1].cells[i]; got != c.Example {
					t.Errorf("example %s = %q, want %q", c.Header, got, c.Example)
				}
			}
		})
	}
}

// FuzzReadCSV: whatever the bytes, reading them neither panics nor numbers rows out of order.
func FuzzReadCSV(f *testing.F) {
	for _, b := range encodings(f, sampleCSV) {
		f.Add(b)
	}
	f.Add([]byte("编号,\"简介\n多行\"\n\n\nA,\"未闭合"))
	f.Add([]byte("a\tb;c,d\n\"\"\"\n"))
	f.Add([]byte{0xff, 0xfe, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := readTable(bytes.NewReader(b), func([]row) bool { return true })
		if err != nil {
			var re *readError
			if !errors.As(err, &re) {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		last := 0
		for _, r := range tab.rows {
			if r.num <= last {
				t.Fatalf("row %d after row %d", r.num, last)
			}
			last = r.num
		}
	})
}
