package app

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"liaison/app/store"
	"liaison/sync/domain"
)

// Base is what every service that reads or records facts holds: the settings, the store,
// the clock, who this device is, and where to say that something changed. main builds one
// and hands it to each service; its methods are unexported, so none of them is bound.
type Base struct {
	Config Config
	Store  *store.Store // nil when it could not be opened: the services then answer store_failed
	Log    *slog.Logger
	Now    func() time.Time
	ID     *IdentityRef // who this device is; pairing replaces it while the station runs
	Notify *Notifier
}

// id is the device's identity now.
func (b *Base) id() Identity { return b.ID.Get() }

// withDefaults fills what a caller may leave out.
func (b Base) withDefaults() Base {
	if b.Log == nil {
		b.Log = slog.New(slog.DiscardHandler)
	}
	if b.Now == nil {
		b.Now = time.Now
	}
	if b.Notify == nil {
		b.Notify = NewNotifier(b.Log)
	}
	return b
}

// ready reports a store that could not be opened.
func (b *Base) ready() error {
	if b.Store == nil {
		return appError(domain.CodeStoreUnavailable)
	}
	return nil
}

// today is the station's calendar day (China time, as the store and the roster count days),
// whatever time zone the device's system clock is set to.
func (b *Base) today() string {
	return b.Now().In(b.Store.Location()).Format(time.DateOnly)
}

// statusURL is the hub page a receipt's QR opens.
func (b *Base) statusURL(number, token string) string {
	return b.hubBase() + "/c/" + number + "?t=" + token
}

// repURL is what a representative's "扫码找代表" QR opens: the hub's page for leaving them a
// message from a phone.
func (b *Base) repURL(id string) string { return b.hubBase() + "/r/" + id }

func (b *Base) hubBase() string {
	hub := b.id().HubURL
	if hub == "" {
		hub = b.Config.HubURL
	}
	base := strings.TrimRight(hub, "/")
	if base == "" {
		base = "http://hub.invalid"
	}
	return base
}

func (b *Base) summary(c domain.Case, names map[string]string) CaseSummary {
	return CaseSummary{
		ID: c.ID, Number: c.Number, Category: c.Category, CategoryName: names[c.Category],
		Text: c.Text, State: string(c.State), SubmittedAt: c.SubmittedAt.Format(time.RFC3339),
		UpdatedAt: c.UpdatedAt.Format(time.RFC3339),
		Overdue:   domain.Overdue(c, b.Now(), b.Store.Rules()),
		CanRate:   c.State == domain.StateReplied,
		Rating:    string(c.Rating),
	}
}

func (b *Base) categoryNames(ctx context.Context) map[string]string {
	m := map[string]string{}
	cats, err := b.Store.Categories(ctx)
	if err != nil {
		return m
	}
	for _, c := range cats {
		m[c.Code] = c.Name
	}
	return m
}

// offeredCategories are the categories a case at this station may take: those of the whole
// hub and those defined at the station's street or a level above it (a district's categories
// reach its streets; another street's do not). Retired ones are still listed.
func (b *Base) offeredCategories(ctx context.Context) ([]domain.Category, error) {
	cats, err := b.Store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(cats, func(c domain.Category) bool { return c.Node != "" }) {
		return cats, nil
	}
	nodes, err := b.Store.OrgNodes(ctx)
	if err != nil {
		return nil, err
	}
	// a station the hub has not described yet belongs to no street: the whole hub's only
	st, err := b.Store.Station(ctx, b.id().Station)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return nil, err
	}
	tree := domain.NewOrgTree(nodes, []domain.Station{st})
	return slices.DeleteFunc(cats, func(c domain.Category) bool { return !tree.ServesNode(c.Node, st.Node) }), nil
}

func (b *Base) knownCategory(ctx context.Context, code string) bool {
	cats, err := b.offeredCategories(ctx)
	if err != nil {
		return false
	}
	for _, c := range cats {
		if c.Code == code {
			return true
		}
	}
	return false
}

func (b *Base) communities(ctx context.Context) []string {
	st, err := b.Store.Station(ctx, b.id().Station)
	if err != nil {
		return nil
	}
	return st.Communities
}

type dutyDay struct {
	rostered map[string]bool
	signedIn map[string]bool
}

func (b *Base) dutyToday(ctx context.Context) dutyDay {
	d := dutyDay{rostered: map[string]bool{}, signedIn: map[string]bool{}}
	day := b.today()
	station := b.id().Station
	shifts, err := b.Store.DutyToday(ctx, day)
	if err != nil {
		b.Log.Warn("duty roster", "err", err)
		return d
	}
	for _, sh := range shifts {
		if sh.Station != "" && station != "" && sh.Station != station {
			continue
		}
		for _, id := range sh.RepIDs {
			d.rostered[id] = true
		}
	}
	signed, err := b.Store.SignedIn(ctx, day)
	if err == nil {
		for _, id := range signed {
			d.signedIn[id] = true
		}
	}
	return d
}

// ourStation reports whether something of station code belongs on this device ("" is every
// station's, and an unprovisioned device shows everything).
func (b *Base) ourStation(code string) bool {
	station := b.id().Station
	return station == "" || code == "" || code == station
}

func newEvent(kind domain.Kind, stream string, actor domain.Actor, at time.Time, payload any) (domain.Event, error) {
	data, err := json.Marshal(payload)
	if err != nil {
		return domain.Event{}, err
	}
	return domain.Event{Kind: kind, Stream: stream, Actor: actor, At: at.UTC(), Data: data}, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func timePtr(t time.Time) *string {
	v := t.Format(time.RFC3339)
	return &v
}
