package domain

// Codes of the notification channels (console).
const (
	CodeNotifyInvalid    = "notify_channel_invalid" // field: what is wrong in a channel's settings
	CodeNotifyTestFailed = "notify_test_failed"     // reason: why the test message was not delivered
)

func init() {
	registry = append(registry, hub(CodeNotifyInvalid, "field"), hub(CodeNotifyTestFailed, "reason"))
}
