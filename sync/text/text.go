// Package text words what the hub shows people: the messages of registered codes
// (domain.Codes), the names of states, and a case's timeline. Its catalogues are the JSON
// files next to this one, one per language; zh-CN is the source language and the fallback.
package text

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"liaison/sync/domain"
)

// Languages with a catalogue.
const (
	ZhCN = "zh-CN"
	En   = "en"
)

// Catalogue is the wording of one language.
type Catalogue struct {
	Codes    map[string]string `json:"codes"`    // registered code → message with {param}s
	States   map[string]string `json:"states"`   // case state → name
	Kinds    map[string]string `json:"kinds"`    // kind of a timeline's event → what happened
	Roles    map[string]string `json:"roles"`    // actor role → who, when the actor has no name
	Ratings  map[string]string `json:"ratings"`  // rating → name
	Timeline map[string]string `json:"timeline"` // the sentences of a timeline entry
	Notices  map[string]string `json:"notices"`  // the labels and titles of notifications
}

//go:embed zh-CN.json en.json
var files embed.FS

var catalogues = mustLoad()

func mustLoad() map[string]*Catalogue {
	out := map[string]*Catalogue{}
	for _, lang := range []string{ZhCN, En} {
		b, err := files.ReadFile(lang + ".json")
		if err != nil {
			panic(fmt.Sprintf("text: read %s catalogue: %v", lang, err))
		}
		var c Catalogue
		if err := json.Unmarshal(b, &c); err != nil {
			panic(fmt.Sprintf("text: parse %s catalogue: %v", lang, err))
		}
		out[lang] = &c
	}
	return out
}

// Of returns the catalogue of lang, zh-CN for a language without one.
func Of(lang string) *Catalogue {
	if c, ok := catalogues[lang]; ok {
		return c
	}
	return catalogues[ZhCN]
}

// pick looks a key up in lang's table, then in zh-CN's.
func pick(lang string, table func(*Catalogue) map[string]string, key string) (string, bool) {
	if s, ok := table(Of(lang))[key]; ok {
		return s, true
	}
	s, ok := table(catalogues[ZhCN])[key]
	return s, ok
}

// Message words a code with its parameters. An unknown code is worded as CodeInternal.
func Message(lang, code string, params map[string]string) string {
	s, ok := pick(lang, func(c *Catalogue) map[string]string { return c.Codes }, code)
	if !ok {
		s, _ = pick(lang, func(c *Catalogue) map[string]string { return c.Codes }, domain.CodeInternal)
	}
	return Fill(s, params)
}

// ErrorMessage words an error: its *domain.Error when it has one, CodeInternal otherwise.
func ErrorMessage(lang string, err error) string {
	if e, ok := domain.AsError(err); ok {
		return Message(lang, e.Code, e.Params)
	}
	return Message(lang, domain.CodeInternal, nil)
}

// StateName is the name of a case state.
func StateName(lang string, s domain.State) string {
	if n, ok := pick(lang, func(c *Catalogue) map[string]string { return c.States }, string(s)); ok {
		return n
	}
	return string(s)
}

// Notice words a label or title of the hub's notifications (sync/hub/notify) with its
// parameters; an unknown key is returned as it is.
func Notice(lang, key string, params map[string]string) string {
	s, ok := pick(lang, func(c *Catalogue) map[string]string { return c.Notices }, key)
	if !ok {
		return key
	}
	return Fill(s, params)
}

// Fill replaces each {name} in s by params[name]; a placeholder without a value is left out.
func Fill(s string, params map[string]string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(params[s[i+1:i+j]])
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}

// Placeholders lists the {names} a message uses.
func Placeholders(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return out
		}
		out = append(out, s[i+1:i+j])
		s = s[i+j+1:]
	}
}
