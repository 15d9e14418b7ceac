package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"liaison/sync/domain"
	"liaison/sync/hub/record"
	"liaison/sync/hub/recordpdf"
)

// RankingColumns are the ranking workbook's first columns; two per act follow (its count and
// its points after the caps).
var RankingColumns = []string{"排名", "代表", "代表编号", "层级", "联络站", "履职积分", "星级", "首次答复", "按时答复"}

// rankingRows are the ranking as the workbook's rows.
func (c *Console) rankingRows(ctx context.Context, rk RecordRanking) ([]string, [][]any) {
	header := append([]string{}, RankingColumns...)
	for _, a := range record.Acts() {
		header = append(header, record.ActNames[a]+"（次）", record.ActNames[a]+"（分）")
	}
	names := map[string]string{}
	rows := make([][]any, 0, len(rk.Rows))
	for _, r := range rk.Rows {
		st := make([]string, len(r.Stations))
		for i, s := range r.Stations {
			st[i] = c.stationName(ctx, names, s)
		}
		row := []any{r.Rank, r.Name, r.RepID, r.Level, strings.Join(st, "、"), r.Points, r.Stars, r.Replies, r.OnTime}
		for _, t := range r.Totals {
			row = append(row, t.Count, t.Points)
		}
		rows = append(rows, row)
	}
	return header, rows
}

// WriteRankingXLSX writes a ranking as a workbook: one sheet named after the period, a bold
// header row, numbers as numbers.
func WriteRankingXLSX(w io.Writer, sheet string, header []string, rows [][]any) error {
	return writeSheet(w, sheet, []float64{0, 12, 0, 0, 24}, header, rows)
}

func (c *Console) recordRankingXLSX(w http.ResponseWriter, r *http.Request, p *principal) {
	per, ok := c.recordPeriod(w, r)
	if !ok {
		return
	}
	station := r.URL.Query().Get("station")
	rk, err := c.ranking(r.Context(), p, per, station)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	header, rows := c.rankingRows(r.Context(), rk)
	name := "履职积分排名-" + per.Key
	if station != "" {
		name += "-" + station
	}
	attachment(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", name+".xlsx")
	if err := WriteRankingXLSX(w, per.Key, header, rows); err != nil {
		c.log.Warn("export ranking xlsx", "err", err)
	}
}

func (c *Console) repAnnualPDF(w http.ResponseWriter, r *http.Request, p *principal) {
	rep, ok := c.recordRep(w, r, p, r.PathValue("id"))
	if !ok {
		return
	}
	year, err := c.annualYear(r)
	if err != nil {
		codeError(w, http.StatusBadRequest, domain.CodeRecordPeriod, nil)
		return
	}
	loc := c.location()
	rec, err := c.repRecordOf(r.Context(), rep, record.YearPeriod(year, loc))
	if err != nil {
		c.internal(w, r, err)
		return
	}
	rules, _, err := c.st.RecordRules(r.Context(), 1)
	if err != nil {
		c.internal(w, r, err)
		return
	}
	names := map[string]string{}
	stations := make([]string, len(rep.Stations))
	for i, s := range rep.Stations {
		stations[i] = c.stationName(r.Context(), names, s)
	}
	pdf, err := recordpdf.Render(recordpdf.Annual{Year: year, RepID: rep.ID, Name: rep.Name, Level: rep.Level,
		Stations: stations, Record: &rec.Record, Rules: rules, Printed: c.cfg.Now(), Location: loc,
		Activities: rec.Activities})
	if err != nil {
		c.internal(w, r, err)
		return
	}
	attachment(w, "application/pdf", "pdf", fmt.Sprintf("%d年度履职档案-%s.pdf", year, rep.Name))
	_, _ = w.Write(pdf) // a client gone mid-download: nothing to do
}
