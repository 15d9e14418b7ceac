package domain

// Codes of the duty swap requests (the phone workspace's 值班 and the console's 调班审批).
const (
	CodeSwapNotOnDuty = "duty_swap_not_on_duty" // the representative is not on duty that day
	CodeSwapPast      = "duty_swap_past"        // the day is over
	CodeSwapPending   = "duty_swap_pending"     // a request of that day waits for a decision
	CodeSwapColleague = "duty_swap_colleague"   // the colleague cannot take the day
	CodeSwapReason    = "duty_swap_reason"      // max: the reason is too long
	CodeSwapDecided   = "duty_swap_decided"     // approved or rejected before
	CodeSwapStale     = "duty_swap_stale"       // the roster changed since the request
)

var swapCodes = []CodeInfo{
	hub(CodeSwapNotOnDuty), hub(CodeSwapPast), hub(CodeSwapPending), hub(CodeSwapColleague),
	hub(CodeSwapReason, "max"), hub(CodeSwapDecided), hub(CodeSwapStale),
}

func init() { registry = append(registry, swapCodes...) }
