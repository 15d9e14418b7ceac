// Package pdffont sets Chinese text in the hub's PDFs (badge sheets, representatives' records)
// with the bundled font: a subset of Droid Sans Fallback (Apache-2.0, see font/NOTICE) that
// holds the characters of GB2312; a character outside it prints as an empty box. fpdf embeds
// only the glyphs a document uses.
package pdffont

import (
	"bytes"
	_ "embed"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

//go:embed font/DroidSansFallback-GB2312.ttf
var ttf []byte

// Family is the font's name in a document it was added to.
const Family = "droid"

// Add adds the font to a document. Each document gets its own copy of the font's bytes:
// fpdf writes into the slice it is given while it cuts the subset (the metrics of glyphs past
// the font's last full horizontal metric are appended onto a sub-slice of it), so a shared
// slice would be changed by every document and raced on by two printed at once.
func Add(pdf *fpdf.Fpdf) { pdf.AddUTF8FontFromBytes(Family, "", bytes.Clone(ttf)) }

type run struct {
	s     string
	ascii bool
	w     float64
}

// The CJK font has no Latin letters nor digits: runs of ASCII are set in Helvetica, one of
// the PDF's standard fonts, and everything else in the CJK font. The middle dot of names such
// as 买买提·艾力, which the CJK font lacks, is printed as its katakana twin.
func runs(pdf *fpdf.Fpdf, size float64, text string) ([]run, float64) {
	var out []run
	for _, r := range strings.ReplaceAll(text, "\u00b7", "\u30fb") {
		a := r < 0x80
		if n := len(out); n > 0 && out[n-1].ascii == a {
			out[n-1].s += string(r)
			continue
		}
		out = append(out, run{s: string(r), ascii: a})
	}
	total := 0.0
	for i := range out {
		setFont(pdf, out[i].ascii, size)
		out[i].w = pdf.GetStringWidth(out[i].s)
		total += out[i].w
	}
	return out, total
}

// Width is the width of text at size points.
func Width(pdf *fpdf.Fpdf, size float64, text string) float64 {
	_, w := runs(pdf, size, text)
	return w
}

// Text writes text in the box at x, y of width w and height h, at size points, aligned "L",
// "C" or "R" in the box and centred vertically.
func Text(pdf *fpdf.Fpdf, x, y, w, h, size float64, align, text string) {
	rs, total := runs(pdf, size, text)
	cx := x
	switch align {
	case "C":
		cx = x + (w-total)/2
	case "R":
		cx = x + w - total
	}
	for _, r := range rs {
		setFont(pdf, r.ascii, size)
		pdf.SetXY(cx, y)
		pdf.CellFormat(r.w, h, r.s, "", 0, "LM", false, 0, "")
		cx += r.w
	}
}

func setFont(pdf *fpdf.Fpdf, ascii bool, size float64) {
	if ascii {
		pdf.SetFont("Helvetica", "", size)
		return
	}
	pdf.SetFont(Family, "", size)
}
