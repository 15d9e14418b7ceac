package recordpdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"liaison/internal/pdftext"
	"liaison/sync/hub/record"
)

var cst = time.FixedZone("CST", 8*3600)

func annual(entries int) Annual {
	r := record.Empty("HX01-R02")
	for i := range entries {
		at := time.Date(2026, time.Month(1+i%12), 1+i%28, 9, 0, 0, 0, cst)
		act := record.Acts()[i%len(record.Acts())]
		e := record.Entry{Act: act, At: at, Points: 2, CaseNumber: fmt.Sprintf("HX01-2026-%05d", i)}
		if act == record.ActReplyOnTime {
			e.DelayMinutes = 95
		}
		if act == record.ActActivity {
			e.CaseNumber, e.Activity = "", "A-7"
		}
		r.Entries = append(r.Entries, e)
	}
	r.Points, r.Stars, r.Replies, r.RepliesOnTime, r.AvgReplyMinutes = 163, 3, 4, 3, 500
	r.Totals[1].Count, r.Totals[1].Points = 12, 30
	return Annual{Year: 2026, RepID: "HX01-R02", Name: "欧阳明月", Level: "区", Stations: []string{"花溪社区联络站"},
		Record: r, Rules: record.DefaultRules(), Printed: time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC),
		Location: cst, Activities: map[string]string{"A-7": "垃圾分类议事会"}}
}

func TestAnnualSaysWhoAndWhat(t *testing.T) {
	t.Parallel()
	pdf, err := Render(annual(30))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pdf, []byte("/FontFile2")) || !bytes.Contains(pdf, []byte("/Type0")) {
		t.Error("the CJK font is not embedded")
	}
	text, err := pdftext.Text(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"欧阳明月", "2026年度人大代表履职档案", "区人大代表", "花溪社区联络站",
		"履职积分：163 分", "★★★☆☆", "领办事项", "HX01-2026-00001", "垃圾分类议事会", "8 小时 20 分钟", "1 小时 35 分钟"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q; it says:\n%.2000s", want, text)
		}
	}
	if strings.Contains(text, "欧阳明日") {
		t.Error("the extraction finds text that is not there")
	}
}

func TestAnnualBreaksPages(t *testing.T) {
	t.Parallel()
	small, err := Render(annual(0))
	if err != nil {
		t.Fatal(err)
	}
	big, err := Render(annual(400))
	if err != nil {
		t.Fatal(err)
	}
	pages := func(b []byte) int {
		return bytes.Count(b, []byte("/Type /Page\n")) + bytes.Count(b, []byte("/Type /Page "))
	}
	if pages(small) != 1 || pages(big) < 8 {
		t.Errorf("pages: %d for no acts, %d for 400", pages(small), pages(big))
	}
	text, err := pdftext.Text(big)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "HX01-2026-00399") || !strings.Contains(text, "第 8 页") {
		t.Error("the last act or the page footer is missing")
	}
	if len(big) > 600<<10 {
		t.Errorf("%d bytes: the font subset was not applied", len(big))
	}
}
