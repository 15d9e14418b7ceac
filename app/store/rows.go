package store

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"liaison/sync/domain"
)

// collect reads every row of a query with scan and closes the rows. queryErr is the query's
// own error, so a call reads `rows, err := q.QueryContext(…); out, err := collect(rows, err, …)`.
func collect[T any](rows *sql.Rows, queryErr error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if queryErr != nil {
		return nil, queryErr
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanFields reads a row into a T through the pointers fields gives to its fields, in the
// order of the query's columns.
func scanFields[T any](fields func(*T) []any) func(*sql.Rows) (T, error) {
	return func(rows *sql.Rows) (T, error) {
		var v T
		err := rows.Scan(fields(&v)...)
		return v, err
	}
}

// scanCase reads a row holding one case projection's data column.
func scanCase(rows *sql.Rows) (domain.Case, error) {
	var data []byte
	if err := rows.Scan(&data); err != nil {
		return domain.Case{}, err
	}
	var c domain.Case
	if err := json.Unmarshal(data, &c); err != nil {
		return domain.Case{}, fmt.Errorf("decode case: %w", err)
	}
	return c, nil
}
