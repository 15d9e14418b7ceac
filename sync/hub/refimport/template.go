package refimport

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// SheetNames are the data sheet's name in each kind's template.
var SheetNames = map[Kind]string{
	Representatives: "代表名册",
	Departments:     "承办单位",
	Stations:        "联络站",
	DutyRoster:      "值班表",
}

const notesSheet = "填写说明"

// TemplateName is the file name a kind's template is offered under.
func TemplateName(k Kind) string { return SheetNames[k] + "导入模板.xlsx" }

// Template writes an XLSX workbook for the kind: the data sheet with the headers and one
// example row of made-up data, and a sheet saying how to fill each column.
func Template(w io.Writer, k Kind) error {
	cols, ok := Columns[k]
	if !ok {
		return fmt.Errorf("template: unknown kind %q", k)
	}
	f := excelize.NewFile()
	defer f.Close()
	data := SheetNames[k]
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	// Every data cell is text, so a spreadsheet program keeps codes such as 0012 and long
	// phone numbers as typed.
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	for i, c := range cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		width := float64(max(utf8.RuneCountInString(c.Example), utf8.RuneCountInString(c.Header))*2 + 4)
		steps := []error{
			f.SetCellStr(data, col+"1", c.Header),
			f.SetCellStr(data, col+"2", c.Example),
			f.SetColWidth(data, col, col, min(width, 40)),
			f.SetColStyle(data, col, textStyle),
			f.SetCellStyle(data, col+"1", col+"1", bold),
		}
		for _, err := range steps {
			if err != nil {
				return fmt.Errorf("template: %w", err)
			}
		}
	}
	if err := f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := notes(f, k, bold); err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// notes writes the notes sheet: one line per column, then the rules of the whole file.
func notes(f *excelize.File, k Kind, bold int) error {
	if _, err := f.NewSheet(notesSheet); err != nil {
		return err
	}
	rows := [][]string{{"列名", "是否必填", "填写说明", "示例"}}
	for _, c := range Columns[k] {
		req := "选填"
		if c.Required {
			req = "必填"
		}
		rows = append(rows, []string{c.Header, req, c.Note, c.Example})
	}
	rows = append(rows, []string{},
		[]string{"说明", "", "第一行是列名，列的顺序可以调整；表中未列出的列导入时忽略。"},
		[]string{"", "", "示例行是虚构数据，导入前请删除或改为实际内容。"},
		[]string{"", "", "整个文件一起导入：任何一行有误则全部不导入，并列出每一行的行号、列名和原因。"},
		[]string{"", "", "同一文件再次导入不会产生变化；编号（编码）已有的行更新原有内容。"},
		[]string{"", "", "也可另存为 CSV（UTF-8 或 GBK 编码，逗号或制表符分隔）后导入。"})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow(notesSheet, cell, &vals); err != nil {
			return err
		}
	}
	for col, w := range map[string]float64{"A": 14, "B": 10, "C": 70, "D": 28} {
		if err := f.SetColWidth(notesSheet, col, col, w); err != nil {
			return err
		}
	}
	return f.SetCellStyle(notesSheet, "A1", "D1", bold)
}
