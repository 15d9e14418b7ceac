package refimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"liaison/sync/domain"
)

// Limits of one file.
const (
	MaxFileSize = 8 << 20 // bytes of the file as uploaded
	MaxRows     = 5000    // data rows below the header
	// unzipLimit bounds what an XLSX may expand to, so a crafted archive cannot fill the
	// memory or the disk.
	unzipLimit = 64 << 20
)

// row is one non-blank row of a file, numbered as a spreadsheet program shows it: the first
// line is row 1, blank rows count.
type row struct {
	num   int
	cells []string
}

// table is the rows of the sheet being imported.
type table struct {
	rows []row
	// date1904 is the workbook's date system, for dates held as serial numbers.
	date1904 bool
}

// readError is a file that cannot be read as a table, with the code saying why.
type readError struct {
	code   string
	params map[string]string
}

func (e *readError) Error() string { return "read import file: " + e.code }

var zipMagic = []byte("PK\x03\x04")

// readTable reads an XLSX workbook (recognised by its content, not its name) or a CSV file.
// For a workbook, pick chooses the sheet: it is given each sheet's first rows in order and
// returns true for the one to import.
func readTable(r io.Reader, pick func([]row) bool) (*table, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	switch {
	case len(b) > MaxFileSize:
		return nil, &readError{code: domain.CodeImportFileTooLarge, params: map[string]string{"max": "8 MB"}}
	case len(bytes.TrimSpace(b)) == 0:
		return nil, &readError{code: domain.CodeImportFileEmpty}
	case bytes.HasPrefix(b, zipMagic):
		return readXLSX(b, pick)
	}
	s, err := decodeText(b)
	if err != nil {
		return nil, err
	}
	return readCSV(s)
}

// headerScan is how many rows at the top of a sheet may hold the header: offices often put a
// title row or two above it.
const headerScan = 10

func readXLSX(b []byte, pick func([]row) bool) (*table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, &readError{code: domain.CodeImportFileUnreadable}
	}
	defer f.Close()
	t := &table{}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		t.date1904 = *p.Date1904
	}
	var first []row
	for i, name := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(name); err == nil && !visible {
			continue
		}
		rows, err := sheetRows(f, name)
		if err != nil {
			return nil, err
		}
		if i == 0 || first == nil {
			first = rows
		}
		top := rows
		if len(top) > headerScan {
			top = top[:headerScan]
		}
		if pick(top) {
			t.rows = rows
			return t, nil
		}
	}
	// No sheet has the header: the first one is reported on.
	t.rows = first
	return t, nil
}

// sheetRows reads a sheet's non-blank rows with their raw values: numbers as stored, so a
// date is its serial number and a phone number is not shown in scientific notation.
func sheetRows(f *excelize.File, sheet string) ([]row, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, &readError{code: domain.CodeImportFileUnreadable}
	}
	defer it.Close()
	var out []row
	num := 0
	for it.Next() {
		num++
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &readError{code: domain.CodeImportFileUnreadable}
		}
		if r, ok := makeRow(num, cells); ok {
			if len(out) > MaxRows+headerScan {
				return nil, &readError{code: domain.CodeImportTooManyRows, params: map[string]string{"max": itoa(MaxRows)}}
			}
			out = append(out, r)
		}
	}
	if it.Error() != nil {
		return nil, &readError{code: domain.CodeImportFileUnreadable}
	}
	return out, nil
}

// makeRow trims a row's cells and reports false for a row with nothing in it.
func makeRow(num int, cells []string) (row, bool) {
	blank := true
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = clean(c)
		if out[i] != "" {
			blank = false
		}
	}
	return row{num: num, cells: out}, !blank
}

// clean trims spaces of every width and drops the invisible marks some programs leave in
// cells (byte order marks, zero-width spaces).
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\ufeff' || r == '\u200b' {
			return -1
		}
		return r
	}, s)
	return strings.TrimFunc(s, unicode.IsSpace)
}

var (
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
)

// decodeText turns a CSV file's bytes into text: the byte order mark decides when there is
// one (UTF-8, UTF-16 either way round); otherwise valid UTF-8 is taken as such and anything
// else as GB18030, which older office software writes and which includes GBK and GB2312.
func decodeText(b []byte) (string, error) {
	var dec transform.Transformer
	switch {
	case bytes.HasPrefix(b, bomUTF8):
		b = b[len(bomUTF8):]
		if !utf8.Valid(b) {
			return "", &readError{code: domain.CodeImportFileEncoding}
		}
		return string(b), nil
	case bytes.HasPrefix(b, bomUTF16LE):
		dec = xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(b, bomUTF16BE):
		dec = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder()
	case bytes.IndexByte(b, 0) >= 0:
		// Text never holds NUL; this is UTF-16 without its mark, or not text at all.
		return "", &readError{code: domain.CodeImportFileEncoding}
	case utf8.Valid(b):
		return string(b), nil
	default:
		dec = simplifiedchinese.GB18030.NewDecoder()
	}
	out, _, err := transform.Bytes(dec, b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) || bytes.IndexByte(out, 0) >= 0 {
		return "", &readError{code: domain.CodeImportFileEncoding}
	}
	return string(out), nil
}

// delimiter picks the separator of a CSV file from its first line: a comma unless the line
// has more tabs (as a spreadsheet's "text, tab separated" export has) or semicolons (as
// spreadsheets in some locales write).
func delimiter(s string) rune {
	line := s
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		line = s[:i]
	}
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == '\t' || r == ';'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{'\t', ';'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// readCSV reads every record of a CSV text. Rows are numbered as a spreadsheet program shows
// the file: each record is one row, however many lines its quoted cells span, and a blank
// line is a blank row.
func readCSV(s string) (*table, error) {
	cr := csv.NewReader(strings.NewReader(s))
	cr.Comma = delimiter(s)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	t := &table{}
	// consumed counts the lines up to the end of the previous record; encoding/csv skips
	// blank lines, which a spreadsheet shows as rows, so the gap to the next record's first
	// line is added to the row number.
	num, consumed, prevEnd := 0, 0, 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return t, nil
		}
		if err != nil {
			return nil, &readError{code: domain.CodeImportFileUnreadable}
		}
		line, _ := cr.FieldPos(0)
		num++
		if gap := line - 1 - consumed; gap > 0 {
			num += gap
		}
		end := min(int(cr.InputOffset()), len(s))
		consumed += strings.Count(s[prevEnd:end], "\n")
		prevEnd = end
		if r, ok := makeRow(num, rec); ok {
			if len(t.rows) > MaxRows+headerScan {
				return nil, &readError{code: domain.CodeImportTooManyRows, params: map[string]string{"max": itoa(MaxRows)}}
			}
			t.rows = append(t.rows, r)
		}
	}
}
