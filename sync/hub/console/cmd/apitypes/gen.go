package main

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Union is a TypeScript string union with a const array of its values, built from a fixed
// list of wire values the Go side defines. Go, when set, is the named Go type every field
// of which is written as this union.
type Union struct {
	Name   string // the TypeScript type, e.g. CaseState
	Const  string // the const array, e.g. CASE_STATES
	Values []string
	Go     reflect.Type
}

// Decl is one Go type written as a TypeScript interface. Name is its TypeScript name; empty
// means the Go name.
type Decl struct {
	Type reflect.Type
	Name string
}

// Spec is everything one generated file holds. Fields maps "Interface.json_name" to a
// TypeScript type written instead of the one reflection finds: it narrows a plain Go string
// to a union the Go side fills from a fixed list.
type Spec struct {
	Header string
	Unions []Union
	Decls  []Decl
	Fields map[string]string
}

var timeType = reflect.TypeFor[time.Time]()

// Render writes the TypeScript of spec: the unions, then the interfaces, each in the order
// given, fields in their Go order, so the output changes only when the Go types do.
func Render(spec Spec) (string, error) {
	g := gen{names: map[reflect.Type]string{}, unions: map[reflect.Type]string{},
		fields: spec.Fields, used: map[string]bool{}}
	for _, u := range spec.Unions {
		if u.Go != nil {
			g.unions[u.Go] = u.Name
		}
	}
	for _, d := range spec.Decls {
		if d.Type.Kind() != reflect.Struct {
			return "", fmt.Errorf("declare %s: not a struct", d.Type)
		}
		name := d.Name
		if name == "" {
			name = d.Type.Name()
		}
		g.names[d.Type] = name
	}
	var b strings.Builder
	b.WriteString(spec.Header)
	for _, u := range spec.Unions {
		if len(u.Values) == 0 {
			return "", fmt.Errorf("union %s: no values", u.Name)
		}
		quoted := make([]string, len(u.Values))
		for i, v := range u.Values {
			quoted[i] = tsString(v)
		}
		fmt.Fprintf(&b, "\nexport const %s = [%s] as const\nexport type %s = (typeof %s)[number]\n",
			u.Const, strings.Join(quoted, ", "), u.Name, u.Const)
	}
	for _, d := range spec.Decls {
		name := g.names[d.Type]
		fmt.Fprintf(&b, "\n/** Go: %s.%s */\nexport interface %s ", pkgName(d.Type), d.Type.Name(), name)
		body, err := g.object(d.Type, name, "")
		if err != nil {
			return "", err
		}
		b.WriteString(body)
		b.WriteString("\n")
	}
	for key := range spec.Fields {
		if !g.used[key] {
			return "", fmt.Errorf("field override %s: no such field", key)
		}
	}
	return b.String(), nil
}

type gen struct {
	names  map[reflect.Type]string
	unions map[reflect.Type]string
	fields map[string]string
	used   map[string]bool
}

type field struct {
	name     string
	typ      reflect.Type
	optional bool
	quoted   bool // the ",string" option: a number or bool sent as a JSON string
	depth    int
}

// fields lists the JSON members of struct t the way encoding/json does for the common cases:
// exported fields by tag name, "-" skipped, untagged embedded structs flattened, and a
// shallower field hiding a deeper one of the same name.
func fieldsOf(t reflect.Type, depth int) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				out = append(out, fieldsOf(et, depth+1)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := false
		quoted := false
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty", "omitzero":
				optional = true
			case "string":
				quoted = true
			}
		}
		out = append(out, field{name: name, typ: ft, optional: optional, quoted: quoted, depth: depth})
	}
	if depth > 0 {
		return out
	}
	// Keep, per name, the shallowest field, in the place of its first appearance.
	best := map[string]int{}
	for _, f := range out {
		if d, ok := best[f.name]; !ok || f.depth < d {
			best[f.name] = f.depth
		}
	}
	var kept []field
	seen := map[string]bool{}
	for _, f := range out {
		if f.depth == best[f.name] && !seen[f.name] {
			seen[f.name] = true
			kept = append(kept, f)
		}
	}
	return kept
}

// object writes the body of struct t; iface names the interface for field overrides.
func (g *gen) object(t reflect.Type, iface, indent string) (string, error) {
	var b strings.Builder
	b.WriteString("{\n")
	for _, f := range fieldsOf(t, 0) {
		key := iface + "." + f.name
		ts, ok := g.fields[key]
		if ok {
			g.used[key] = true
		} else {
			var err error
			ts, err = g.typeOf(f.typ, indent+"  ")
			if err != nil {
				return "", fmt.Errorf("field %s: %w", key, err)
			}
			if f.quoted {
				ts = "string"
			}
		}
		opt := ""
		if f.optional {
			opt = "?"
		}
		fmt.Fprintf(&b, "%s  %s%s: %s\n", indent, tsKey(f.name), opt, ts)
	}
	b.WriteString(indent + "}")
	return b.String(), nil
}

// typeOf is the TypeScript of a value of Go type t as encoding/json writes it.
func (g *gen) typeOf(t reflect.Type, indent string) (string, error) {
	if name, ok := g.unions[t]; ok {
		return name, nil
	}
	if name, ok := g.names[t]; ok {
		return name, nil
	}
	if t == timeType {
		return "string", nil // RFC 3339
	}
	switch t.Kind() {
	case reflect.String:
		return "string", nil
	case reflect.Bool:
		return "boolean", nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number", nil
	case reflect.Pointer:
		// A nil pointer is written as null (or left out under omitempty/omitzero).
		inner, err := g.typeOf(t.Elem(), indent)
		if err != nil {
			return "", err
		}
		return inner + " | null", nil
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Kind() == reflect.Slice {
			return "string", nil // base64
		}
		inner, err := g.typeOf(t.Elem(), indent)
		if err != nil {
			return "", err
		}
		if strings.ContainsAny(inner, " |") {
			inner = "(" + inner + ")"
		}
		return inner + "[]", nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return "", fmt.Errorf("map key %s: only string keys are supported", t.Key())
		}
		inner, err := g.typeOf(t.Elem(), indent)
		if err != nil {
			return "", err
		}
		return "Record<string, " + inner + ">", nil
	case reflect.Interface:
		return "unknown", nil
	case reflect.Struct:
		if t.Name() != "" {
			return "", fmt.Errorf("struct %s.%s is not declared", pkgName(t), t.Name())
		}
		return g.object(t, "", indent)
	}
	return "", fmt.Errorf("unsupported type %s", t)
}

func pkgName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:]
}

func tsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// tsKey quotes a member name that is not a plain identifier.
func tsKey(s string) string {
	for i, r := range s {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return tsString(s)
		}
	}
	return s
}
