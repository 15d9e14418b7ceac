package domain

// Codes of publishing a station update at the hub (sync/update, the console's
// POST /api/v1/admin/updates).
const (
	CodeUpdatesOff        = "updates_off" // the hub trusts no update key
	CodeUpdateSignature   = "update_signature_invalid"
	CodeUpdateDigest      = "update_digest_mismatch"
	CodeUpdateManifest    = "update_manifest_invalid"
	CodeUpdateNotNewer    = "update_not_newer"
	CodeUpdateFileMissing = "update_file_missing"
)

var updateCodes = []CodeInfo{
	hub(CodeUpdatesOff), hub(CodeUpdateSignature), hub(CodeUpdateDigest), hub(CodeUpdateManifest),
	hub(CodeUpdateNotNewer, "version", "latest"), hub(CodeUpdateFileMissing, "field"),
}

func init() { registry = append(registry, updateCodes...) }
