package pdffont

import (
	"bytes"
	"crypto/sha256"
	"sync"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

func render(t *testing.T, text string) []byte {
	t.Helper()
	pdf := fpdf.New("P", "mm", "A4", "")
	Add(pdf)
	pdf.AddPage()
	Text(pdf, 10, 10, 190, 8, 12, "L", text)
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Fatalf("output: %v", err)
	}
	return out.Bytes()
}

// Printing a document leaves the bundled font as it was, and two documents printed at once
// do not share it (the race detector watches the second half).
func TestPrintingLeavesTheFontAlone(t *testing.T) {
	before := sha256.Sum256(ttf)
	first := render(t, "人大代表联络站 2026 年度履职档案")
	if after := sha256.Sum256(ttf); after != before {
		t.Fatal("the bundled font's bytes changed while a document was printed")
	}
	var wg sync.WaitGroup
	outs := make([][]byte, 4)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i] = render(t, "人大代表联络站 2026 年度履职档案")
		}()
	}
	wg.Wait()
	if after := sha256.Sum256(ttf); after != before {
		t.Fatal("the bundled font's bytes changed while documents were printed at once")
	}
	for i, o := range outs {
		if len(o) != len(first) {
			t.Errorf("document %d is %d bytes, the first was %d", i, len(o), len(first))
		}
	}
}
