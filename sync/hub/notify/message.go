package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"liaison/sync/domain"
	"liaison/sync/hub/store"
	"liaison/sync/text"
)

// Messages carry only what the street's own staff see on the desk (DESIGN.md §5): the case
// number, category, community, station, a short excerpt with phone and ID numbers scrubbed,
// and the console's link. Never the resident's name, phone or ID number.

// ExcerptRunes bounds the excerpt of a case's text in a message.
const ExcerptRunes = 60

const lang = text.ZhCN

// message is what a notice says, before a channel formats it.
type message struct {
	Title string
	Lines [][2]string // label, value
	Head  string
	Text  string // a paragraph after the lines
	Link  string
}

// markdown is the message in the subset both robots render: a heading, "- label：value"
// lines and a link.
func (m message) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n", escapeMD(m.Head))
	for _, l := range m.Lines {
		fmt.Fprintf(&b, "- %s：%s\n", l[0], escapeMD(l[1]))
	}
	if m.Text != "" {
		fmt.Fprintf(&b, "\n%s\n", escapeMD(m.Text))
	}
	if m.Link != "" {
		fmt.Fprintf(&b, "\n[%s](%s)\n", text.Notice(lang, "link", nil), m.Link)
	}
	return b.String()
}

// plainText turns a notice's markdown (as markdown writes it) into a mail's text: no
// heading marks or bullets, the link written out.
func plainText(md string) string {
	var b strings.Builder
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "### "):
			line = strings.TrimPrefix(line, "### ")
		case strings.HasPrefix(line, "- "):
			line = strings.TrimPrefix(line, "- ")
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, ")"):
			if i := strings.Index(line, "]("); i > 0 {
				line = line[1:i] + "：" + line[i+2:len(line)-1]
			}
		}
		b.WriteString(line)
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// escapeMD keeps a resident's words from becoming markup (links, headings, emphasis) and from
// breaking the line they are on.
func escapeMD(s string) string {
	r := strings.NewReplacer("\r", " ", "\n", " ", "[", "［", "]", "］", "(", "（", ")", "）",
		"*", "＊", "_", "＿", "#", "＃", "`", "｀", "<", "＜", ">", "＞")
	return r.Replace(s)
}

// Excerpt is a case's text as a message shows it: phone and ID numbers scrubbed, one line,
// at most ExcerptRunes runes.
func Excerpt(s string) string {
	s = strings.Join(strings.Fields(domain.ScrubText(s)), " ")
	if utf8.RuneCountInString(s) <= ExcerptRunes {
		return s
	}
	return string([]rune(s)[:ExcerptRunes]) + "…"
}

// caseLink is the console's page of a case.
func (n *Notifier) caseLink(c domain.Case) string {
	if n.cfg.PublicURL == "" {
		return ""
	}
	return n.cfg.PublicURL + "/console/#/cases/" + c.ID
}

// refName is the name of a reference item (station, community, category), its code when it
// has none or cannot be read.
func (n *Notifier) refName(ctx context.Context, kind domain.Kind, code string) string {
	if code == "" {
		return ""
	}
	raw, err := n.st.RefItem(ctx, kind, code)
	if err != nil {
		return code
	}
	var v struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &v) != nil || v.Name == "" {
		return code
	}
	return v.Name
}

func (n *Notifier) caseLines(ctx context.Context, c domain.Case) [][2]string {
	lines := [][2]string{{text.Notice(lang, "category", nil), n.refName(ctx, domain.KindCategoryUpserted, c.Category)}}
	if c.Community != "" {
		lines = append(lines, [2]string{text.Notice(lang, "community", nil), n.refName(ctx, domain.KindCommunityUpserted, c.Community)})
	}
	lines = append(lines, [2]string{text.Notice(lang, "station", nil), n.refName(ctx, domain.KindStationUpserted, c.Station)})
	return lines
}

func notice(ch store.NotifyChannel, kind, key string, m message) store.Notice {
	return store.Notice{Channel: ch.ID, Key: key, Kind: kind, Title: m.Title, Body: m.markdown(), Link: m.Link}
}

// newCaseMessage tells of a new case.
func (n *Notifier) newCaseMessage(ctx context.Context, c domain.Case) message {
	p := map[string]string{"number": c.Number}
	lines := append(n.caseLines(ctx, c), [2]string{text.Notice(lang, "excerpt", nil), Excerpt(c.Text)})
	return message{Title: text.Notice(lang, "new_case_title", p), Head: text.Notice(lang, "new_case_head", p),
		Lines: lines, Link: n.caseLink(c)}
}

// deadlineMessage tells that a case's deadline of a stage is near.
func (n *Notifier) deadlineMessage(ctx context.Context, c domain.Case, stage string, due time.Time, loc *time.Location) message {
	p := map[string]string{"number": c.Number}
	lines := append(n.caseLines(ctx, c),
		[2]string{text.Notice(lang, "stage", nil), text.Notice(lang, "stage_"+stage, nil)},
		[2]string{text.Notice(lang, "due", nil), due.In(loc).Format("2006-01-02 15:04")},
		[2]string{text.Notice(lang, "excerpt", nil), Excerpt(c.Text)})
	return message{Title: text.Notice(lang, "deadline_title", p), Head: text.Notice(lang, "deadline_head", p),
		Lines: lines, Link: n.caseLink(c)}
}

// dutyMessage reminds of a shift.
func (n *Notifier) dutyMessage(ctx context.Context, s domain.DutyShift, loc *time.Location) message {
	station := n.refName(ctx, domain.KindStationUpserted, s.Station)
	var names []string
	for _, id := range s.RepIDs {
		names = append(names, n.repName(ctx, id))
	}
	hours := ""
	if !s.Starts.IsZero() && !s.Ends.IsZero() {
		hours = s.Starts.In(loc).Format("15:04") + "–" + s.Ends.In(loc).Format("15:04")
	}
	lines := [][2]string{{text.Notice(lang, "station", nil), station}, {text.Notice(lang, "day", nil), s.Day}}
	if hours != "" {
		lines = append(lines, [2]string{text.Notice(lang, "hours", nil), hours})
	}
	lines = append(lines, [2]string{text.Notice(lang, "reps", nil), strings.Join(names, "、")})
	return message{Title: text.Notice(lang, "duty_title", map[string]string{"day": s.Day, "station": station}),
		Head: text.Notice(lang, "duty_head", nil), Lines: lines}
}

func (n *Notifier) repName(ctx context.Context, id string) string {
	raw, err := n.st.RefItem(ctx, domain.KindRepresentativeUpserted, id)
	if err != nil {
		return id
	}
	var r domain.Representative
	if json.Unmarshal(raw, &r) != nil || r.Name == "" {
		return id
	}
	return r.Name
}

// testMessage is the console's test message for a channel.
func (n *Notifier) testMessage(ch store.NotifyChannel) message {
	t := text.Notice(lang, "test_title", nil)
	link := ""
	if n.cfg.PublicURL != "" {
		link = n.cfg.PublicURL + "/console/"
	}
	return message{Title: t, Head: t, Text: text.Notice(lang, "test_body", map[string]string{"channel": ch.Name}), Link: link}
}
