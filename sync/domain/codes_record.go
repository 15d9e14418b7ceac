package domain

// Codes of the representatives' record (履职档案): its period and the scoring rules an admin
// edits in the console.
const (
	CodeRecordPeriod    = "record_bad_period"     // a period that is not 2026, 2026-Q2 or 2026-05
	CodeRecordActs      = "record_bad_acts"       // the rules must price every act exactly once
	CodeRecordPoints    = "record_bad_points"     // act, max: an act's points out of range
	CodeRecordCap       = "record_bad_cap"        // act, max: a cap out of range
	CodeRecordCapPeriod = "record_bad_cap_period" // the cap window is not month, quarter or year
	CodeRecordStars     = "record_bad_stars"      // max: star thresholds not 1..max ascending
)

func init() {
	registry = append(registry, hub(CodeRecordPeriod), hub(CodeRecordActs), hub(CodeRecordPoints, "act", "max"),
		hub(CodeRecordCap, "act", "max"), hub(CodeRecordCapPeriod), hub(CodeRecordStars, "max"))
}
