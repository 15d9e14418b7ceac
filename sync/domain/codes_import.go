package domain

// Codes of the reference-data import (sync/hub/refimport): why a spreadsheet, or one of its
// rows or cells, was refused. The hub words them (sync/text); the console shows them per row
// and column.
const (
	CodeImportRefused         = "import_refused" // the file as a whole: count bad rows
	CodeImportKindUnknown     = "import_kind_unknown"
	CodeImportFileTooLarge    = "import_file_too_large"
	CodeImportFileEmpty       = "import_file_empty"
	CodeImportFileUnreadable  = "import_file_unreadable"
	CodeImportFileEncoding    = "import_file_encoding"
	CodeImportTooManyRows     = "import_too_many_rows"
	CodeImportNoRows          = "import_no_rows"
	CodeImportHeaderMissing   = "import_header_missing"
	CodeImportColumnDuplicate = "import_column_duplicate"
	CodeImportColumnIgnored   = "import_column_ignored" // a notice: the column is not read
	CodeImportValueRequired   = "import_value_required"
	CodeImportDateInvalid     = "import_date_invalid"
	CodeImportTimeInvalid     = "import_time_invalid"
	CodeImportTimeOrder       = "import_time_order"
	CodeImportStationUnknown  = "import_station_unknown"
	CodeImportRepUnknown      = "import_rep_unknown"
	CodeImportRepAmbiguous    = "import_rep_ambiguous"
	CodeImportRepRetired      = "import_rep_retired"
	CodeImportRowRepeated     = "import_row_repeated"
	CodeImportDutyConflict    = "import_duty_conflict"

	// How an import's outcome and a problem with its place are worded.
	CodeImportDone            = "import_done"
	CodeImportChecked         = "import_checked"
	CodeImportAtFile          = "import_at_file"
	CodeImportAtRow           = "import_at_row"
	CodeImportAtCell          = "import_at_cell"
	CodeImportTemplateWritten = "import_template_written"
)

var importCodes = []CodeInfo{
	hub(CodeImportRefused, "count"), hub(CodeImportKindUnknown, "kind"),
	hub(CodeImportFileTooLarge, "max"), hub(CodeImportFileEmpty), hub(CodeImportFileUnreadable),
	hub(CodeImportFileEncoding), hub(CodeImportTooManyRows, "max"), hub(CodeImportNoRows),
	hub(CodeImportHeaderMissing, "columns"), hub(CodeImportColumnDuplicate, "column"),
	hub(CodeImportColumnIgnored, "column"), hub(CodeImportValueRequired, "column"),
	hub(CodeImportDateInvalid, "value"), hub(CodeImportTimeInvalid, "value"),
	hub(CodeImportTimeOrder, "starts", "ends"), hub(CodeImportStationUnknown, "value"),
	hub(CodeImportRepUnknown, "value"), hub(CodeImportRepAmbiguous, "value", "ids"),
	hub(CodeImportRepRetired, "value"), hub(CodeImportRowRepeated, "row"),
	hub(CodeImportDutyConflict, "row"),
	hub(CodeImportDone, "created", "updated", "unchanged"),
	hub(CodeImportChecked, "created", "updated", "unchanged"),
	hub(CodeImportAtFile, "reason"), hub(CodeImportAtRow, "row", "reason"),
	hub(CodeImportAtCell, "row", "column", "reason"),
	hub(CodeImportTemplateWritten, "file"),
}

// The import's codes join the registry here, so they stay in one file.
func init() { registry = append(registry, importCodes...) }
