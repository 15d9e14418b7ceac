package console

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"liaison/sync/text"
	"net/http"
	"net/url"
	"time"

	"github.com/xuri/excelize/v2"

	"liaison/sync/domain"
)

// MaxExport bounds the rows of one 问题清单 export.
const MaxExport = 50000

// ExportColumns are the 问题清单's columns.
var ExportColumns = []string{"编号", "日期", "社区", "类别", "摘要", "代表", "承办单位", "期限", "状态", "销号日期", "评价"}

// exportRows reads the cases a filter selects (the list's filters, without paging) as the
// 问题清单's rows.
func (c *Console) exportRows(ctx context.Context, p *principal, q url.Values) ([][]string, error) {
	f, err := c.filter(ctx, p, q)
	if err != nil {
		return nil, err
	}
	f.Limit = MaxExport
	res, err := c.st.Desk(ctx, f)
	if err != nil {
		return nil, err
	}
	names, err := c.loadRefs(ctx)
	if err != nil {
		return nil, err
	}
	loc := c.location()
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02")
	}
	rows := make([][]string, 0, len(res.Cases))
	for _, cs := range res.Cases {
		r := c.row(cs, names, f.Now)
		due := cs.Due
		if due.IsZero() && cs.Open() {
			due = r.Deadline
		}
		closed := ""
		if cs.State == domain.StateClosed {
			closed = day(cs.ClosedAt)
		}
		rows = append(rows, []string{cs.Number, day(cs.SubmittedAt), cs.Community, r.CategoryName, r.Summary,
			cs.RepName, cs.DeptName, day(due), text.StateName(text.ZhCN, cs.State), closed, text.RatingName(text.ZhCN, cs.Rating)})
	}
	return rows, nil
}

// exportName is the download's file name, e.g. 问题清单-20261123.xlsx.
func (c *Console) exportName(ext string) string {
	return "问题清单-" + c.cfg.Now().In(c.location()).Format("20060102") + "." + ext
}

// attachment names a download: an ASCII name for old clients, the Chinese one for the rest.
func attachment(w http.ResponseWriter, contentType, ext, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="export.`+ext+`"; filename*=UTF-8''`+url.PathEscape(name))
}

func (c *Console) exportFailed(w http.ResponseWriter, r *http.Request, err error) {
	var bad *errBadFilter
	if errors.As(err, &bad) {
		writeError(w, http.StatusBadRequest, bad.code)
		return
	}
	c.internal(w, r, err)
}

func (c *Console) exportCSV(w http.ResponseWriter, r *http.Request, p *principal) {
	rows, err := c.exportRows(r.Context(), p, r.URL.Query())
	if err != nil {
		c.exportFailed(w, r, err)
		return
	}
	attachment(w, "text/csv; charset=utf-8", "csv", c.exportName("csv"))
	// The byte order mark tells spreadsheet programs the file is UTF-8.
	if _, err := w.Write([]byte("\uFEFF")); err != nil {
		return
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	_ = cw.Write(ExportColumns)
	_ = cw.WriteAll(rows) // a client gone mid-download: nothing to do
}

// WriteXLSX writes the 问题清单 as a workbook: one sheet, a bold header row.
func WriteXLSX(w io.Writer, rows [][]string) error {
	vals := make([][]any, len(rows))
	for i, row := range rows {
		vals[i] = make([]any, len(row))
		for j, v := range row {
			vals[i][j] = v
		}
	}
	return writeSheet(w, "问题清单", []float64{24, 12, 12, 10, 44, 10, 16, 12, 10, 12, 10}, ExportColumns, vals)
}

// writeSheet writes a workbook of one sheet: the columns' widths (0 leaves a column at the
// default), a bold header row, then the rows as they are typed (numbers stay numbers).
func writeSheet(w io.Writer, sheet string, widths []float64, header []string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("make style: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("open sheet: %w", err)
	}
	for i, wd := range widths {
		if wd == 0 {
			continue
		}
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return fmt.Errorf("set width: %w", err)
		}
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = h
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{StyleID: bold}); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("write row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("finish sheet: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func (c *Console) exportXLSX(w http.ResponseWriter, r *http.Request, p *principal) {
	rows, err := c.exportRows(r.Context(), p, r.URL.Query())
	if err != nil {
		c.exportFailed(w, r, err)
		return
	}
	attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", c.exportName("xlsx"))
	if err := WriteXLSX(w, rows); err != nil {
		c.log.Warn("export xlsx", "err", err)
	}
}
