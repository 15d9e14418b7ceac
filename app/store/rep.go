package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"liaison/sync/domain"
)

// LastDutySign returns the time of a representative's latest duty sign of the day
// (YYYY-MM-DD, station local time), zero when there is none.
func (s *Store) LastDutySign(ctx context.Context, day, rep string) (time.Time, error) {
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT at FROM duty_signs WHERE day = ? AND rep_id = ?
		ORDER BY at DESC, event_id DESC LIMIT 1`, day, rep).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("last duty sign of %s: %w", rep, err)
	}
	return parseTime(at)
}

// Mark says whether a person signed up for or checked in at an activity (the earliest mark
// counts) and what the hub last answered to the sign-up.
type Mark struct {
	SignedUp  bool   `json:"signed_up"`
	CheckedIn bool   `json:"checked_in"`
	Status    string `json:"status"` // domain.SignUpConfirmed, SignUpWaitlisted, or "" while the hub has not answered
	Position  int    `json:"position"`
}

// ActivityMark returns a person's marks at an activity. The sign-up status is read from the
// hub's activity.signup_status events as far as they have arrived: offline, the kiosk shows
// what it last knew.
func (s *Store) ActivityMark(ctx context.Context, activityID, personID string) (Mark, error) {
	var m Mark
	rows, err := s.db.QueryContext(ctx, `SELECT checked_in FROM activity_marks
		WHERE activity_id = ? AND person_id = ?`, activityID, personID)
	if err != nil {
		return m, fmt.Errorf("activity mark: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var in bool
		if err := rows.Scan(&in); err != nil {
			return m, fmt.Errorf("activity mark: %w", err)
		}
		if in {
			m.CheckedIn = true
		} else {
			m.SignedUp = true
		}
	}
	if err := rows.Err(); err != nil {
		return m, fmt.Errorf("activity mark: %w", err)
	}
	var data []byte
	err = s.db.QueryRowContext(ctx, `SELECT data FROM events WHERE kind = ? AND stream = ?
		AND json_extract(data, '$.person_id') = ? ORDER BY hub_seq DESC LIMIT 1`,
		string(domain.KindActivitySignUpStatus), "activity:"+activityID, personID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("sign-up status: %w", err)
	}
	var st domain.SignUpStatus
	if err := json.Unmarshal(data, &st); err == nil {
		m.Status, m.Position = st.Status, st.Position
	}
	return m, nil
}
