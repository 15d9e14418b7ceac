package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"liaison/sync/hub/store"
)

// Sheet layout at 300 dpi on A4 (2480×3508 px): 3 columns × 4 rows of cards, each with its
// QR code and, under it, the serial, the representative id and the last valid day in a
// built-in block font (no font files needed; names are written by hand on the card).
const (
	sheetW, sheetH = 2480, 3508
	sheetCols      = 3
	sheetRows      = 4
	cardW          = sheetW / sheetCols
	cardH          = sheetH / sheetRows
	qrPx           = 600
	glyphScale     = 8
)

func renderSheet(badges []store.BadgeRecord) ([]byte, error) {
	per := sheetCols * sheetRows
	if len(badges) > per {
		return nil, fmt.Errorf("badge sheet: %d badges, one sheet holds %d; name the serials to print", len(badges), per)
	}
	img := image.NewRGBA(image.Rect(0, 0, sheetW, sheetH))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for i, b := range badges {
		x0, y0 := (i%sheetCols)*cardW, (i/sheetCols)*cardH
		outline(img, image.Rect(x0+20, y0+20, x0+cardW-20, y0+cardH-20), color.Gray{Y: 160})
		q, err := qrcode.New(b.Payload, qrcode.Medium)
		if err != nil {
			return nil, fmt.Errorf("badge sheet: QR of %s: %w", b.Serial, err)
		}
		qi := q.Image(qrPx)
		qx, qy := x0+(cardW-qrPx)/2, y0+60
		draw.Draw(img, image.Rect(qx, qy, qx+qrPx, qy+qrPx), qi, image.Point{}, draw.Src)
		lines := []string{b.Serial, b.RepID, "TO " + b.ValidUntil.In(cst).AddDate(0, 0, -1).Format("2006-01-02")}
		for j, l := range lines {
			drawText(img, x0+60, qy+qrPx+40+j*(7*glyphScale+24), l)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("badge sheet: encode: %w", err)
	}
	return buf.Bytes(), nil
}

func outline(img *image.RGBA, r image.Rectangle, c color.Color) {
	for x := r.Min.X; x < r.Max.X; x++ {
		img.Set(x, r.Min.Y, c)
		img.Set(x, r.Max.Y-1, c)
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		img.Set(r.Min.X, y, c)
		img.Set(r.Max.X-1, y, c)
	}
}

// glyphs is a 5×7 block font for what serials, ids and dates use; each row is 5 bits.
var glyphs = map[rune][7]uint8{
	'0': {14, 17, 19, 21, 25, 17, 14}, '1': {4, 12, 4, 4, 4, 4, 14}, '2': {14, 17, 1, 2, 4, 8, 31},
	'3': {31, 2, 4, 2, 1, 17, 14}, '4': {2, 6, 10, 18, 31, 2, 2}, '5': {31, 16, 30, 1, 1, 17, 14},
	'6': {6, 8, 16, 30, 17, 17, 14}, '7': {31, 1, 2, 4, 8, 8, 8}, '8': {14, 17, 17, 14, 17, 17, 14},
	'9': {14, 17, 17, 15, 1, 2, 12}, '-': {0, 0, 0, 31, 0, 0, 0}, ' ': {},
	'A': {14, 17, 17, 31, 17, 17, 17}, 'B': {30, 17, 17, 30, 17, 17, 30}, 'C': {14, 17, 16, 16, 16, 17, 14},
	'D': {28, 18, 17, 17, 17, 18, 28}, 'E': {31, 16, 16, 30, 16, 16, 31}, 'F': {31, 16, 16, 30, 16, 16, 16},
	'G': {14, 17, 16, 23, 17, 17, 15}, 'H': {17, 17, 17, 31, 17, 17, 17}, 'I': {14, 4, 4, 4, 4, 4, 14},
	'J': {7, 2, 2, 2, 2, 18, 12}, 'K': {17, 18, 20, 24, 20, 18, 17}, 'L': {16, 16, 16, 16, 16, 16, 31},
	'M': {17, 27, 21, 21, 17, 17, 17}, 'N': {17, 17, 25, 21, 19, 17, 17}, 'O': {14, 17, 17, 17, 17, 17, 14},
	'P': {30, 17, 17, 30, 16, 16, 16}, 'Q': {14, 17, 17, 17, 21, 18, 13}, 'R': {30, 17, 17, 30, 20, 18, 17},
	'S': {15, 16, 16, 14, 1, 1, 30}, 'T': {31, 4, 4, 4, 4, 4, 4}, 'U': {17, 17, 17, 17, 17, 17, 14},
	'V': {17, 17, 17, 17, 17, 10, 4}, 'W': {17, 17, 17, 21, 21, 21, 10}, 'X': {17, 17, 10, 4, 10, 17, 17},
	'Y': {17, 17, 10, 4, 4, 4, 4}, 'Z': {31, 1, 2, 4, 8, 16, 31},
}

// drawText writes s in the block font; characters it lacks are drawn as a box so a missing
// glyph is visible instead of silently dropped.
func drawText(img *image.RGBA, x, y int, s string) {
	for _, r := range strings.ToUpper(s) {
		g, ok := glyphs[r]
		if !ok {
			g = [7]uint8{31, 17, 17, 17, 17, 17, 31}
		}
		for row, bits := range g {
			for col := 0; col < 5; col++ {
				if bits&(1<<(4-col)) == 0 {
					continue
				}
				px, py := x+col*glyphScale, y+row*glyphScale
				draw.Draw(img, image.Rect(px, py, px+glyphScale, py+glyphScale), image.Black, image.Point{}, draw.Src)
			}
		}
		x += 6 * glyphScale
	}
}
