package refimport

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

func itoa(n int) string { return strconv.Itoa(n) }

// code folds a code, id or number to narrow characters without spaces: people type
// "ＨＸ０１" or "HX 01" in spreadsheets meant for "HX01".
func code(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' {
			return -1
		}
		return r
	}, width.Fold.String(s))
}

// phone keeps a phone number's digits and the separators people mean, dropping spaces.
func phone(s string) string {
	return strings.ReplaceAll(code(s), " ", "")
}

// gender reads 男/女 written in the other usual ways; anything else is kept as written, for
// the item's check to refuse.
func gender(s string) string {
	switch strings.ToUpper(code(s)) {
	case "男性", "M":
		return "男"
	case "女性", "F":
		return "女"
	}
	return s
}

var (
	dateRE   = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	dateFlat = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	timeRE   = regexp.MustCompile(`^(\d{1,2})\s*[:点时]\s*(\d{1,2})?\s*分?(?:\s*:\s*\d{1,2})?$`)
	weekday  = regexp.MustCompile(`\s*[(（]?\s*(周|星期)[一二三四五六日天]\s*[)）]?$`)
	dayTime  = regexp.MustCompile(`\s+\d{1,2}:\d{2}(:\d{2})?$`)
)

// excelSerialMin and excelSerialMax bound the serial numbers read as dates: 1954 to 2119,
// wide of any roster and clear of the small numbers a typing slip gives.
const excelSerialMin, excelSerialMax = 20000, 80000

// date reads a day as offices write it: 2026-12-07, 2026/12/7, 2026.12.7, 2026年12月7日,
// 20261207, optionally followed by the weekday, or a spreadsheet's date serial number.
func date(s string, date1904 bool) (string, bool) {
	s = dayTime.ReplaceAllString(strings.TrimSpace(width.Fold.String(s)), "")
	s = weekday.ReplaceAllString(code(s), "")
	if m := dateRE.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	if m := dateFlat.FindStringSubmatch(s); m != nil {
		return ymd(m[1], m[2], m[3])
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= excelSerialMin && f < excelSerialMax {
		t, err := excelize.ExcelDateToTime(math.Floor(f), date1904)
		if err != nil {
			return "", false
		}
		return t.Format(time.DateOnly), true
	}
	return "", false
}

func ymd(y, m, d string) (string, bool) {
	yy, _ := strconv.Atoi(y)
	mm, _ := strconv.Atoi(m)
	dd, _ := strconv.Atoi(d)
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Year() != yy || int(t.Month()) != mm || t.Day() != dd {
		return "", false // 2026-02-30 and the like
	}
	return t.Format(time.DateOnly), true
}

// clock reads a time of day as minutes after midnight: 9:00, 09:00:00, 9点30, 9时, or a
// spreadsheet's time fraction of a day (0.375).
func clock(s string) (int, bool) {
	s = code(s)
	if m := timeRE.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mi := 0
		if m[2] != "" {
			mi, _ = strconv.Atoi(m[2])
		}
		if h > 24 || mi > 59 || (h == 24 && mi > 0) {
			return 0, false
		}
		return h*60 + mi, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f <= 1 && strings.Contains(s, ".") {
		return int(math.Round(f * 24 * 60)), true
	}
	return 0, false
}

func clockText(min int) string { return strconv.Itoa(min/60) + ":" + twoDigits(min%60) }

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
