package domain

// Codes of the working-day calendar's editing (console and command line).
const (
	CodeCalendarYear = "calendar_bad_year" // min, max: a year the calendar cannot be edited for
)

func init() { registry = append(registry, hub(CodeCalendarYear, "min", "max")) }
