package badgesheet

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"regexp"
	"strconv"
	"testing"
	"time"
)

func photo(t testing.TB, seed int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 64))
	for y := range 64 {
		for x := range 48 {
			img.Set(x, y, color.RGBA{R: uint8(x * 5), G: uint8(y * 4), B: uint8(seed), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cards are n badges, every other one (0, 2 …) with its own photo.
func cards(t testing.TB, n int) []Card {
	out := make([]Card, n)
	for i := range out {
		out[i] = Card{Serial: "B-" + strconv.Itoa(1000+i), RepID: "HX01-R0" + strconv.Itoa(i), Name: "欧阳明月",
			Level: "区", Station: "幸福里代表联络站", ValidUntil: time.Date(2027, 12, 5, 16, 0, 0, 0, time.UTC),
			Payload: "LB1.example-payload-" + strconv.Itoa(i)}
		if i%2 == 0 {
			out[i].Photo = photo(t, i)
		}
		if i%3 == 1 {
			out[i].Name, out[i].Level = "买买提·艾力", "全国"
		}
	}
	return out
}

var (
	objRE   = regexp.MustCompile(`(?m)^(\d+) 0 obj`)
	countRE = regexp.MustCompile(`/Type /Pages[^>]*?/Count (\d+)`)
)

// parse checks the file is a PDF whose cross-reference table points at its objects, and
// returns its page count and how many images it holds.
func parse(t *testing.T, pdf []byte) (pages, images int) {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
		t.Fatalf("not a PDF: starts %q, ends %q", pdf[:min(len(pdf), 8)], pdf[max(0, len(pdf)-8):])
	}
	i := bytes.LastIndex(pdf, []byte("startxref"))
	if i < 0 {
		t.Fatal("no startxref")
	}
	var xref int
	if _, err := fmtSscan(pdf[i+len("startxref"):], &xref); err != nil || xref <= 0 || xref >= len(pdf) ||
		!bytes.HasPrefix(pdf[xref:], []byte("xref")) {
		t.Fatalf("startxref %d does not point at the xref table (%v)", xref, err)
	}
	// Every object the table lists starts where the table says.
	lines := bytes.Split(pdf[xref:], []byte("\n"))
	var first, n int
	if _, err := fmtSscan(lines[1], &first, &n); err != nil || n < 2 {
		t.Fatalf("xref subsection %q: %v", lines[1], err)
	}
	for k := 1; k < n; k++ {
		off, err := strconv.Atoi(string(bytes.Fields(lines[2+k])[0]))
		if err != nil {
			t.Fatalf("xref entry %q", lines[2+k])
		}
		m := objRE.FindSubmatch(pdf[off:min(off+20, len(pdf))])
		if m == nil || string(m[1]) != strconv.Itoa(first+k) {
			t.Fatalf("object %d: the xref offset %d points at %q", first+k, off, pdf[off:min(off+20, len(pdf))])
		}
	}
	m := countRE.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no page tree")
	}
	pages, _ = strconv.Atoi(string(m[1]))
	if got := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page ")); got != pages {
		t.Errorf("page tree counts %d pages, the file has %d page objects", pages, got)
	}
	return pages, bytes.Count(pdf, []byte("/Subtype /Image"))
}

func TestRenderPagesImagesAndFont(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n, pages, images int
	}{
		{1, 1, 2},                     // one QR, one photo
		{PerPage, 1, PerPage + 5},     // nine QRs, photos on cards 0, 2, 4, 6, 8
		{PerPage + 1, 2, PerPage + 6}, // the tenth card starts a page
		{2*PerPage + 3, 3, 21 + 11},   // 21 QRs, 11 photos
	} {
		pdf, err := Render(cards(t, tc.n))
		if err != nil {
			t.Fatalf("%d cards: %v", tc.n, err)
		}
		pages, images := parse(t, pdf)
		if pages != tc.pages || images != tc.images {
			t.Errorf("%d cards: %d pages and %d images, want %d and %d", tc.n, pages, images, tc.pages, tc.images)
		}
		// The CJK font is embedded (as a subset of the glyphs used), not referenced.
		if !bytes.Contains(pdf, []byte("/FontFile2")) || !bytes.Contains(pdf, []byte("/Type0")) {
			t.Errorf("%d cards: the CJK font is not embedded", tc.n)
		}
		if len(pdf) > 400<<10+tc.n*30<<10 {
			t.Errorf("%d cards: %d bytes, the font subset was not applied", tc.n, len(pdf))
		}
	}
}

func TestRenderRefusals(t *testing.T) {
	t.Parallel()
	if _, err := Render(nil); err == nil {
		t.Error("an empty sheet was rendered")
	}
	c := cards(t, 1)
	c[0].Photo = []byte("not an image")
	if _, err := Render(c); err == nil {
		t.Error("a card with a photo that is no image was rendered")
	}
}

// fmtSscan reads space-separated integers from the start of b.
func fmtSscan(b []byte, out ...*int) (int, error) {
	f := bytes.Fields(b)
	for i, p := range out {
		if i >= len(f) {
			return i, strconv.ErrSyntax
		}
		v, err := strconv.Atoi(string(f[i]))
		if err != nil {
			return i, err
		}
		*p = v
	}
	return len(out), nil
}

// BenchmarkRenderSheet renders a full page of nine cards, five with photos.
func BenchmarkRenderSheet(b *testing.B) {
	c := cards(b, PerPage)
	var size int
	for b.Loop() {
		pdf, err := Render(c)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/sheet")
}

func TestLevelTitle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"区": "区人大代表", "全国": "全国人大代表", "区人大代表": "区人大代表", "": "人大代表"} {
		if got := levelTitle(in); got != want {
			t.Errorf("levelTitle(%q) = %q, want %q", in, got, want)
		}
	}
}
