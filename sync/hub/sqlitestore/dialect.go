package sqlitestore

import (
	"database/sql"
	"strings"
)

// The store's SQL is written once, in the subset SQLite and PostgreSQL share: `?`
// placeholders (numbered for PostgreSQL by sync/pgdb), ON CONFLICT upserts, RETURNING, TRUE
// and FALSE. json_extract(text, '$.key') exists in both: PostgreSQL's schema defines it
// (pgmigrations/001_init.sql). What remains differs, and is chosen here:
//
//   - a batch of keys is passed as one JSON array, unpacked by json_each on SQLite and by
//     jsonb_array_elements_text on PostgreSQL;
//   - the desk's text search: SQLite's FTS5 index with a token per Han character
//     (desk_fts.go); on PostgreSQL a plain table of the same text, every term of the query
//     looked for as a substring (LIKE), which finds a run of Han characters the same way and a
//     Latin term also inside a longer word.

// jsonKeysSQL is a sub-select of the values of the JSON array bound to its placeholder.
func jsonKeysSQL(pg bool) string {
	if pg {
		return `SELECT jsonb_array_elements_text(CAST(? AS jsonb))`
	}
	return `SELECT value FROM json_each(?)`
}

// withKeys replaces the {keys} of q by jsonKeysSQL.
func withKeys(q string, pg bool) string { return strings.Replace(q, "{keys}", jsonKeysSQL(pg), 1) }

// deskTextSQL stores the searchable text of a case (args: text, case id).
func deskTextSQL(pg bool) string {
	if pg {
		return `INSERT INTO desk_fts(rid, body) SELECT rid, ? FROM desk WHERE id = ?
			ON CONFLICT(rid) DO UPDATE SET body = excluded.body`
	}
	return `INSERT OR REPLACE INTO desk_fts(rowid, body) SELECT rid, ? FROM desk WHERE id = ?`
}

// pgSearchText is text as the PostgreSQL search table holds it and looks for it: the FTS
// form (a Han character per token), lower case, single spaces.
func pgSearchText(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(ftsText(s)), " "))
}

// deskSearch is the condition on the desk's rid that a search query puts, with its
// arguments; ok is false when nothing in q is searchable.
func deskSearch(q string, pg bool) (cond string, args []any, ok bool) {
	if !pg {
		fq := ftsQuery(q)
		if fq == "" {
			return "", nil, false
		}
		return `rid IN (SELECT rowid FROM desk_fts WHERE desk_fts MATCH ?
			UNION SELECT case_rid FROM desk_notes_fts WHERE desk_notes_fts MATCH ?)`, []any{fq, fq}, true
	}
	var likes []string
	for _, t := range strings.Fields(q) {
		if !searchable(t) {
			continue
		}
		likes = append(likes, "%"+likeEscape(pgSearchText(t))+"%")
	}
	if len(likes) == 0 {
		return "", nil, false
	}
	conds := strings.TrimSuffix(strings.Repeat(`body LIKE ? ESCAPE '\' AND `, len(likes)), " AND ")
	for range 2 {
		for _, l := range likes {
			args = append(args, l)
		}
	}
	return `rid IN (SELECT rid FROM desk_fts WHERE ` + conds + `
		UNION SELECT case_rid FROM desk_notes_fts WHERE ` + conds + `)`, args, true
}

// likeEscape escapes LIKE's wildcards in s.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// snapshot is the options of a read transaction whose statements must all see one state of
// the database (a page of the desk and its counts). A SQLite transaction reads one snapshot
// from its first read on; PostgreSQL's default, READ COMMITTED, takes a new one for every
// statement, so there the transaction asks for REPEATABLE READ.
func (s *Store) snapshot() *sql.TxOptions {
	if s.pg {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return nil
}
