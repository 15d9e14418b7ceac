// Package recordpdf prints a representative's annual record (年度履职档案) as an A4 PDF: who
// they are, their points and stars, the acts of each kind with their points, the acts by
// month, their first replies against the target, and every act of the year. Chinese text is
// set in the hub's bundled font (sync/hub/pdffont).
package recordpdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"liaison/sync/hub/pdffont"
	"liaison/sync/hub/record"
)

// Annual is what the PDF shows.
type Annual struct {
	Year     int
	RepID    string
	Name     string
	Level    string   // 区, or 区人大代表
	Stations []string // the stations' names
	Record   *record.Record
	Rules    record.Rules
	Printed  time.Time
	Location *time.Location // the stations' zone, in which dates are printed
	// Activities are the titles of the activities checked in at, by id.
	Activities map[string]string
}

const (
	pageW  = 210.0
	pageH  = 297.0
	margin = 18.0
	lineH  = 6.0
	bottom = pageH - 16
)

type doc struct {
	pdf *fpdf.Fpdf
	y   float64
	a   Annual
}

// Render prints the annual record.
func Render(a Annual) ([]byte, error) {
	if a.Record == nil {
		a.Record = record.Empty(a.RepID)
	}
	if a.Location == nil {
		a.Location = time.UTC
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetTitle(fmt.Sprintf("%d年度人大代表履职档案 %s", a.Year, a.Name), true)
	pdf.SetCreator("liaison-hub", false)
	pdf.SetCompression(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetCellMargin(0)
	pdffont.Add(pdf)
	d := &doc{pdf: pdf, a: a}
	pdf.SetFooterFunc(func() {
		pdf.SetTextColor(120, 120, 120)
		pdffont.Text(pdf, margin, pageH-12, pageW-2*margin, 5, 8, "C",
			fmt.Sprintf("%s %d年度履职档案 · 第 %d 页", a.Name, a.Year, pdf.PageNo()))
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	d.y = margin
	d.header()
	d.totals()
	d.months()
	d.entries()
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("record pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("record pdf: %w", err)
	}
	return buf.Bytes(), nil
}

func (d *doc) need(h float64) {
	if d.y+h > bottom {
		d.pdf.AddPage()
		d.y = margin
	}
}

func (d *doc) line(size float64, align, text string) {
	d.need(lineH)
	pdffont.Text(d.pdf, margin, d.y, pageW-2*margin, lineH, size, align, text)
	d.y += lineH + 1
}

func (d *doc) heading(text string) {
	d.y += 3
	d.need(lineH * 3)
	d.pdf.SetFillColor(192, 0, 0)
	d.pdf.Rect(margin, d.y+1, 1.5, lineH-2, "F")
	pdffont.Text(d.pdf, margin+3, d.y, pageW-2*margin, lineH, 12, "L", text)
	d.y += lineH + 2
}

// row writes cells of the given widths; bold rows get a grey background.
func (d *doc) row(widths []float64, aligns string, cells []string, header bool) {
	d.need(lineH)
	x := margin
	if header {
		d.pdf.SetFillColor(235, 235, 235)
		total := 0.0
		for _, w := range widths {
			total += w
		}
		d.pdf.Rect(margin, d.y, total, lineH, "F")
	}
	for i, w := range widths {
		al := string(aligns[i])
		pdffont.Text(d.pdf, x+1, d.y, w-2, lineH, 9.5, al, cells[i])
		x += w
	}
	d.pdf.SetDrawColor(200, 200, 200)
	d.pdf.SetLineWidth(0.1)
	d.pdf.Line(margin, d.y+lineH, x, d.y+lineH)
	d.y += lineH
}

func stars(n, of int) string {
	return strings.Repeat("★", n) + strings.Repeat("☆", max(0, of-n))
}

func (d *doc) header() {
	a, r := d.a, d.a.Record
	d.line(18, "C", fmt.Sprintf("%d年度人大代表履职档案", a.Year))
	d.y += 4
	level := a.Level
	if level != "" && !strings.HasSuffix(level, "人大代表") {
		level += "人大代表"
	}
	d.line(11, "L", "姓名："+a.Name+"    代表编号："+a.RepID)
	if level != "" {
		d.line(11, "L", "代表层级："+level)
	}
	if len(a.Stations) > 0 {
		d.line(11, "L", "所在联络站："+strings.Join(a.Stations, "、"))
	}
	d.y += 2
	d.line(14, "L", fmt.Sprintf("履职积分：%d 分    星级：%s（%d 星）", r.Points, stars(r.Stars, len(a.Rules.Stars)), r.Stars))
	th := make([]string, len(a.Rules.Stars))
	for i, t := range a.Rules.Stars {
		th[i] = fmt.Sprintf("%d星 %d分", i+1, t)
	}
	d.line(9, "L", "星级门槛（全年）："+strings.Join(th, "，"))
	reply := "首次答复：无"
	if r.Replies > 0 {
		reply = fmt.Sprintf("首次答复：%d 次，其中 %d 小时内答复 %d 次，平均用时 %s", r.Replies,
			int(record.ReplyTarget/time.Hour), r.RepliesOnTime, duration(r.AvgReplyMinutes))
	}
	d.line(10, "L", reply)
}

func duration(minutes int) string {
	if minutes < 60 {
		return strconv.Itoa(minutes) + " 分钟"
	}
	return fmt.Sprintf("%d 小时 %d 分钟", minutes/60, minutes%60)
}

func (d *doc) totals() {
	d.heading("积分构成")
	widths := []float64{56, 24, 28, 30, 36}
	d.row(widths, "LRRRR", []string{"履职行为", "次数", "每次分值", "上限", "计分"}, true)
	cap := map[string]string{record.CapMonth: "月", record.CapQuarter: "季", record.CapYear: "年"}[d.a.Rules.CapPeriod]
	for _, t := range d.a.Record.Totals {
		rule := ruleOf(d.a.Rules, t.Act)
		limit := "不设"
		if rule.Cap > 0 {
			limit = fmt.Sprintf("每%s %d", cap, rule.Cap)
		}
		d.row(widths, "LRRRR", []string{record.ActNames[t.Act], strconv.Itoa(t.Count), strconv.Itoa(rule.Points),
			limit, strconv.Itoa(t.Points)}, false)
	}
	d.row(widths, "LRRRR", []string{"合计", "", "", "", strconv.Itoa(d.a.Record.Points)}, true)
}

func ruleOf(r record.Rules, a record.Act) record.ActRule {
	for _, x := range r.Acts {
		if x.Act == a {
			return x
		}
	}
	return record.ActRule{Act: a}
}

func (d *doc) months() {
	d.heading("各月履职次数")
	var counts [12]int
	for _, e := range d.a.Record.Entries {
		counts[e.At.In(d.a.Location).Month()-1]++
	}
	widths := make([]float64, 12)
	head, vals := make([]string, 12), make([]string, 12)
	for i := range 12 {
		widths[i] = (pageW - 2*margin) / 12
		head[i] = strconv.Itoa(i+1) + "月"
		vals[i] = strconv.Itoa(counts[i])
	}
	d.row(widths, strings.Repeat("C", 12), head, true)
	d.row(widths, strings.Repeat("C", 12), vals, false)
}

func (d *doc) entries() {
	d.heading(fmt.Sprintf("履职明细（%d 项）", len(d.a.Record.Entries)))
	widths := []float64{34, 40, 66, 34}
	d.row(widths, "LLLR", []string{"日期", "履职行为", "事项 / 活动", "分值"}, true)
	for _, e := range d.a.Record.Entries {
		what := e.CaseNumber
		if e.Activity != "" {
			what = "活动 " + e.Activity
			if t := d.a.Activities[e.Activity]; t != "" {
				what = t
			}
		}
		if e.Act == record.ActReplyOnTime || e.Act == record.ActReplyLate {
			what += "（用时 " + duration(e.DelayMinutes) + "）"
		}
		d.row(widths, "LLLR", []string{e.At.In(d.a.Location).Format("2006-01-02 15:04"), record.ActNames[e.Act],
			what, strconv.Itoa(e.Points)}, false)
	}
	d.y += 4
	d.line(8, "L", "生成时间："+d.a.Printed.In(d.a.Location).Format("2006-01-02 15:04")+
		"。积分按生成时的积分规则由联络站平台记录的履职行为计算，分值为封顶前的每次分值。")
}
