// Package badgesheet prints representatives' duty badges: an A4 PDF of cards, nine to a page,
// each with the representative's name in Chinese, level and station, photo when there is one,
// the badge's QR (what the kiosk's scanner reads) and its serial and last valid day, with cut
// marks at the corners. The console's 打印胸牌 and `liaison-hub badge sheet --pdf` use it.
//
// Names are set in the hub's bundled CJK font (sync/hub/pdffont).
package badgesheet

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // photos are JPEG (the hub's resized ones) or PNG
	_ "image/png"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"liaison/sync/hub/pdffont"
)

// Card is one badge to print.
type Card struct {
	Serial     string
	RepID      string
	Name       string
	Level      string    // 全国, 省, 市, 区, 镇: printed as 区人大代表 …
	Station    string    // the station's name, or its code
	ValidUntil time.Time // the badge's end; the card prints the last day before it, China time
	Payload    string    // the QR text
	Photo      []byte    // JPEG or PNG; nil prints the card without a photo
}

// Layout on A4 portrait, in millimetres: 3 × 3 cards of 60 × 88 with 6 between them.
const (
	PerPage = cols * rows
	cols    = 3
	rows    = 3
	pageW   = 210.0
	pageH   = 297.0
	cardW   = 60.0
	cardH   = 88.0
	gap     = 6.0
	marginX = (pageW - cols*cardW - (cols-1)*gap) / 2
	marginY = (pageH - rows*cardH - (rows-1)*gap) / 2
	markOff = 1.0 // cut marks start this far outside the card's corner
	markLen = 2.0 // and are this long: they stay within half the gap
	bandH   = 10.0
	photoW  = 18.0
	photoH  = 24.0
	qrSide  = 25.0
)

// cst is China time, in which the last valid day is printed.
var cst = time.FixedZone("CST", 8*3600)

// Render draws the cards, PerPage to a page, in the order given; no cards is an error.
func Render(cards []Card) ([]byte, error) {
	if len(cards) == 0 {
		return nil, fmt.Errorf("badge sheet: no badges to print")
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetTitle("代表胸牌", true)
	pdf.SetCreator("liaison-hub", false)
	pdf.SetCompression(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdffont.Add(pdf)
	for i, c := range cards {
		if i%PerPage == 0 {
			pdf.AddPage()
		}
		k := i % PerPage
		x := marginX + float64(k%cols)*(cardW+gap)
		y := marginY + float64(k/cols)*(cardH+gap)
		if err := drawCard(pdf, i, x, y, c); err != nil {
			return nil, fmt.Errorf("badge sheet: badge %s: %w", c.Serial, err)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("badge sheet: %w", err)
	}
	return buf.Bytes(), nil
}

func drawCard(pdf *fpdf.Fpdf, i int, x, y float64, c Card) error {
	cutMarks(pdf, x, y)
	// A thin outline, for a card cut a little inside the marks.
	pdf.SetDrawColor(210, 210, 210)
	pdf.SetLineWidth(0.1)
	pdf.Rect(x, y, cardW, cardH, "D")

	// The red band with the card's title.
	pdf.SetFillColor(192, 0, 0)
	pdf.Rect(x, y, cardW, bandH, "F")
	pdf.SetTextColor(255, 255, 255)
	centered(pdf, x, y, cardW, bandH, 12, "人大代表联络站 代表胸牌")

	cy := y + bandH + 2
	pdf.SetTextColor(0, 0, 0)
	if len(c.Photo) > 0 {
		name := "photo-" + strconv.Itoa(i)
		typ, err := imageType(c.Photo)
		if err != nil {
			return err
		}
		info := pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: typ}, bytes.NewReader(c.Photo))
		if err := pdf.Error(); err != nil || info == nil {
			return fmt.Errorf("photo: %w", err)
		}
		// Fit the photo in its frame, keeping its proportions.
		w, h := photoW, photoW*info.Height()/info.Width()
		if h > photoH {
			w, h = photoH*info.Width()/info.Height(), photoH
		}
		pdf.ImageOptions(name, x+(cardW-w)/2, cy+(photoH-h)/2, w, h, false, fpdf.ImageOptions{}, 0, "")
		cy += photoH + 1
	} else {
		cy += 10
	}

	centered(pdf, x, cy, cardW, 8, 18, c.Name)
	cy += 8
	centered(pdf, x, cy, cardW, 4, 8, levelTitle(c.Level))
	cy += 4
	if c.Station != "" {
		centered(pdf, x, cy, cardW, 4, 8, c.Station)
	}

	// The QR sits at the same place on every card, above the serial line.
	q, err := qrcode.Encode(c.Payload, qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("QR: %w", err)
	}
	qname := "qr-" + strconv.Itoa(i)
	pdf.RegisterImageOptionsReader(qname, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(q))
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("QR image: %w", err)
	}
	qy := y + cardH - qrSide - 9
	pdf.ImageOptions(qname, x+(cardW-qrSide)/2, qy, qrSide, qrSide, false, fpdf.ImageOptions{}, 0, "")

	pdf.SetTextColor(60, 60, 60)
	centered(pdf, x, y+cardH-8.5, cardW, 3.5, 6.5, c.Serial)
	last := c.ValidUntil.In(cst).Add(-time.Nanosecond).Format("2006-01-02")
	centered(pdf, x, y+cardH-5, cardW, 3.5, 6.5, "有效期至 "+last)
	return pdf.Error()
}

// centered writes text centred in the box at x, y of width w and height h, at size points.
func centered(pdf *fpdf.Fpdf, x, y, w, h, size float64, text string) {
	pdffont.Text(pdf, x, y, w, h, size, "C", text)
}

// cutMarks draws the marks at the card's four corners, outside it.
func cutMarks(pdf *fpdf.Fpdf, x, y float64) {
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
	for _, cx := range []float64{x, x + cardW} {
		for _, cy := range []float64{y, y + cardH} {
			dx, dy := -1.0, -1.0 // outward from the corner
			if cx > x {
				dx = 1
			}
			if cy > y {
				dy = 1
			}
			pdf.Line(cx+dx*markOff, cy, cx+dx*(markOff+markLen), cy)
			pdf.Line(cx, cy+dy*markOff, cx, cy+dy*(markOff+markLen))
		}
	}
}

// levelTitle is the title a level is printed as: 区 → 区人大代表, 全国 → 全国人大代表; a level
// already written out (区人大代表, as older data has it) is printed as it is.
func levelTitle(level string) string {
	if strings.HasSuffix(level, "人大代表") {
		return level
	}
	return level + "人大代表"
}

// imageType tells fpdf's name of a photo's format, from its content.
func imageType(b []byte) (string, error) {
	_, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("photo: %w", err)
	}
	switch format {
	case "jpeg":
		return "JPG", nil
	case "png":
		return "PNG", nil
	}
	return "", fmt.Errorf("photo: %s is neither JPEG nor PNG", format)
}
