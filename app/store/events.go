package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"liaison/sync/domain"
)

const eventColumns = `id, device, dev_seq, station, stream, kind, at, actor_role, actor_id,
	actor_name, data, hub_seq`

// foldOrder is the order a stream's events are folded in: what the hub sequenced, in its
// order, then this device's facts the hub has not sequenced yet, in the device's order.
const foldOrder = `hub_seq IS NULL, hub_seq, dev_seq`

const sqlInsertEvent = `INSERT INTO events(` + eventColumns + `, own)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func insertEvent(ctx context.Context, q queryer, ev domain.Event, own bool) error {
	if _, err := q.ExecContext(ctx, sqlInsertEvent, eventArgs(ev, own)...); err != nil {
		return fmt.Errorf("insert event %s: %w", ev.ID, err)
	}
	return nil
}

// insertEventIfNew stores another device's event unless one with its id is stored; the
// result's RowsAffected says which.
func insertEventIfNew(ctx context.Context, q queryer, ev domain.Event) (sql.Result, error) {
	res, err := q.ExecContext(ctx, sqlInsertEvent+` ON CONFLICT(id) DO NOTHING`, eventArgs(ev, false)...)
	if err != nil {
		return nil, fmt.Errorf("insert event %s: %w", ev.ID, err)
	}
	return res, nil
}

func eventArgs(ev domain.Event, own bool) []any {
	var hub any
	if ev.HubSeq > 0 {
		hub = ev.HubSeq
	}
	data := []byte(ev.Data)
	if len(data) == 0 {
		data = []byte("null")
	}
	return []any{ev.ID, ev.Device, ev.DevSeq, ev.Station, ev.Stream, string(ev.Kind), fmtTime(ev.At),
		string(ev.Actor.Role), ev.Actor.ID, ev.Actor.Name, data, hub, own}
}

func scanEvents(rows *sql.Rows) ([]domain.Event, error) {
	out, err := collect(rows, nil, scanEvent)
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return out, nil
}

func scanEvent(rows *sql.Rows) (domain.Event, error) {
	var (
		ev         domain.Event
		kind, role string
		at         string
		data       []byte
		hub        sql.NullInt64
	)
	if err := rows.Scan(&ev.ID, &ev.Device, &ev.DevSeq, &ev.Station, &ev.Stream, &kind, &at,
		&role, &ev.Actor.ID, &ev.Actor.Name, &data, &hub); err != nil {
		return ev, fmt.Errorf("read event: %w", err)
	}
	t, err := parseTime(at)
	if err != nil {
		return ev, err
	}
	ev.At, ev.Kind, ev.Actor.Role, ev.HubSeq = t, domain.Kind(kind), domain.Role(role), hub.Int64
	if string(data) != "null" {
		ev.Data = json.RawMessage(data)
	}
	return ev, nil
}

func streamEvents(ctx context.Context, q queryer, stream string) ([]domain.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE stream = ?
		ORDER BY `+foldOrder, stream)
	if err != nil {
		return nil, fmt.Errorf("read stream %s: %w", stream, err)
	}
	return scanEvents(rows)
}
