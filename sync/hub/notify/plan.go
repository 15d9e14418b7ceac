package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
)

// cursorCases is the outbox cursor of the log reader that finds new cases.
const cursorCases = "cases"

// planLoop writes notices to the outbox: new cases whenever the log grows, deadlines and duty
// reminders every ScanEvery.
func (n *Notifier) planLoop(ctx context.Context) {
	ch, cancel := n.st.Subscribe()
	defer cancel()
	tick := time.NewTicker(n.cfg.ScanEvery)
	defer tick.Stop()
	n.planOnce(ctx, true)
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
			n.planOnce(ctx, false)
		case <-tick.C:
			n.planOnce(ctx, true)
		}
	}
}

// planOnce follows the log and, with scan, looks at deadlines and the roster; what it could
// not do now is done at the next turn (the cursor only moves with what was enqueued).
func (n *Notifier) planOnce(ctx context.Context, scan bool) {
	added, err := n.FollowLog(ctx)
	if scan {
		var a int
		var e error
		a, e = n.ScanDeadlines(ctx)
		added, err = added+a, errorsJoin(err, e)
		a, e = n.ScanDuty(ctx)
		added, err = added+a, errorsJoin(err, e)
		now := n.cfg.Now()
		_, e = n.st.PruneNotices(ctx, now.Add(-KeepSent), now.Add(-KeepDead))
		err = errorsJoin(err, e)
	}
	if err != nil && ctx.Err() == nil {
		n.log.Warn("plan notices", "err", err)
	}
	if added > 0 {
		n.Kick()
	}
}

func errorsJoin(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return fmt.Errorf("%w; %w", a, b)
}

// FollowLog enqueues a new-case notice for every case submitted since it last read the log,
// for each channel that wants it, and moves its cursor in the same transaction. On its very
// first run it starts at the end of the log: a new hub does not announce its history.
func (n *Notifier) FollowLog(ctx context.Context) (int, error) {
	after, ok, err := n.st.NotifyCursor(ctx, cursorCases)
	if err != nil {
		return 0, err
	}
	if !ok {
		last, err := n.st.LastSeq(ctx)
		if err != nil {
			return 0, err
		}
		_, err = n.st.EnqueueNotices(ctx, nil, cursorCases, last)
		return 0, err
	}
	total := 0
	for {
		evs, err := n.st.LogAfter(ctx, after, batch)
		if err != nil || len(evs) == 0 {
			return total, err
		}
		chans, err := n.st.NotifyChannels(ctx)
		if err != nil {
			return total, err
		}
		var notices []store.Notice
		for _, ev := range evs {
			if ev.Kind != domain.KindCaseSubmitted {
				continue
			}
			notices = append(notices, n.newCaseNotices(ctx, chans, ev.Stream)...)
		}
		after = evs[len(evs)-1].HubSeq
		added, err := n.st.EnqueueNotices(ctx, notices, cursorCases, after)
		total += added
		if err != nil || len(evs) < batch {
			return total, err
		}
	}
}

func (n *Notifier) newCaseNotices(ctx context.Context, chans []store.NotifyChannel, caseID string) []store.Notice {
	var out []store.Notice
	var m *message
	for _, ch := range chans {
		if !wants(ch, store.NoticeNewCase) {
			continue
		}
		c, err := n.st.Case(ctx, caseID)
		if err != nil {
			n.log.Warn("new case notice: read case", "case", caseID, "err", err)
			return nil
		}
		if !covers(ch, c.Station, c.Community) {
			continue
		}
		if m == nil {
			mm := n.newCaseMessage(ctx, c)
			m = &mm
		}
		out = append(out, notice(ch, store.NoticeNewCase, "new:"+c.ID, *m))
	}
	return out
}

// stage names the deadline a case is at: whose turn it is.
func stage(s domain.State) string {
	switch s {
	case domain.StateSubmitted:
		return "accept"
	case domain.StateAccepted, domain.StateReturned:
		return "assign"
	case domain.StateAssigned, domain.StateInProgress, domain.StateReopened:
		return "handle"
	}
	return ""
}

func (n *Notifier) rules(ctx context.Context) domain.Rules {
	r, err := n.st.Rules(ctx)
	if err != nil || r.IsZero() {
		return domain.DefaultRules()
	}
	return r
}

// ScanDeadlines enqueues a deadline notice for every case whose deadline is within a
// channel's lead time, once per case, stage and deadline: a deadline moved (a due date
// extended, a case reopened) is a new one.
func (n *Notifier) ScanDeadlines(ctx context.Context) (int, error) {
	chans, err := n.st.NotifyChannels(ctx)
	if err != nil {
		return 0, err
	}
	var lead time.Duration
	for _, ch := range chans {
		if wants(ch, store.NoticeDeadline) {
			lead = max(lead, leadOf(ch))
		}
	}
	if lead == 0 {
		return 0, nil
	}
	now := n.cfg.Now()
	cases, err := n.st.CasesDueBetween(ctx, now, now.Add(lead))
	if err != nil {
		return 0, err
	}
	r := n.rules(ctx)
	var notices []store.Notice
	for _, c := range cases {
		st, due := stage(c.State), domain.Deadline(c, r)
		if st == "" || due.IsZero() {
			continue
		}
		key := "due:" + c.ID + ":" + st + ":" + strconv.FormatInt(due.Unix(), 10)
		var m *message
		for _, ch := range chans {
			if !wants(ch, store.NoticeDeadline) || !covers(ch, c.Station, c.Community) || due.Sub(now) > leadOf(ch) {
				continue
			}
			if m == nil {
				mm := n.deadlineMessage(ctx, c, st, due, r.Location)
				m = &mm
			}
			notices = append(notices, notice(ch, store.NoticeDeadline, key, *m))
		}
	}
	if len(notices) == 0 {
		return 0, nil
	}
	return n.st.EnqueueNotices(ctx, notices, "", 0)
}

// ScanDuty enqueues, from DutyHour of the evening before (station zone), a reminder of each
// of the next day's duty shifts to the channels of its station.
func (n *Notifier) ScanDuty(ctx context.Context) (int, error) {
	chans, err := n.st.NotifyChannels(ctx)
	if err != nil {
		return 0, err
	}
	wanted := false
	for _, ch := range chans {
		wanted = wanted || wants(ch, store.NoticeDuty)
	}
	if !wanted {
		return 0, nil
	}
	loc := n.rules(ctx).Location
	if loc == nil {
		loc = domain.DefaultRules().Location
	}
	local := n.cfg.Now().In(loc)
	if local.Hour() < n.cfg.DutyHour {
		return 0, nil
	}
	tomorrow := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, loc).Format(time.DateOnly)
	raws, err := n.st.RefData(ctx, domain.KindDutyRosterUpserted, "")
	if err != nil {
		return 0, err
	}
	var notices []store.Notice
	for _, raw := range raws {
		var s domain.DutyShift
		if err := json.Unmarshal(raw, &s); err != nil || s.Day != tomorrow || len(s.RepIDs) == 0 {
			continue
		}
		var m *message
		for _, ch := range chans {
			if !wants(ch, store.NoticeDuty) || !covers(ch, s.Station, "") {
				continue
			}
			if m == nil {
				mm := n.dutyMessage(ctx, s, loc)
				m = &mm
			}
			notices = append(notices, notice(ch, store.NoticeDuty, "duty:"+s.Station+":"+s.Day, *m))
		}
	}
	if len(notices) == 0 {
		return 0, nil
	}
	return n.st.EnqueueNotices(ctx, notices, "", 0)
}
