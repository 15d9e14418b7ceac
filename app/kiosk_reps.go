package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"liaison/sync/domain"
)

// MyRepresentatives lists the representatives of the session's community (by constituency),
// or every representative of the station when the community is not known.
func (k *Kiosk) MyRepresentatives() ([]RepCard, error) {
	sess := k.s.sessions.get()
	community := ""
	if sess != nil {
		community = sess.Community
	}
	all, err := k.s.repCards(context.Background(), community)
	if err != nil {
		return nil, err
	}
	var mine []RepCard
	for _, r := range all {
		if r.Mine {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		return all, nil
	}
	return mine, nil
}

// Representatives lists every representative of the station.
func (k *Kiosk) Representatives() ([]RepCard, error) {
	community := ""
	if sess := k.s.sessions.get(); sess != nil {
		community = sess.Community
	}
	return k.s.repCards(context.Background(), community)
}

func (s *Station) repCards(ctx context.Context, community string) ([]RepCard, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	reps, err := s.store.Representatives(ctx)
	if err != nil {
		s.log.Error("list representatives", "err", err)
		return nil, errorf(CodeStoreFailed, "读取代表信息失败")
	}
	duty := s.dutyToday(ctx)
	out := make([]RepCard, 0, len(reps))
	for _, r := range reps {
		if s.id.station != "" && len(r.Stations) > 0 && !slices.Contains(r.Stations, s.id.station) {
			continue
		}
		card := RepCard{
			ID: r.ID, Name: r.Name, Gender: r.Gender, Level: r.Level, Constituency: r.Constituency,
			Title: r.Title, PhotoSeed: r.PhotoSeed, OnDutyToday: duty.rostered[r.ID],
			SignedIn: duty.signedIn[r.ID], Mine: community != "" && slices.Contains(r.Communities, community),
		}
		card.QRDataURL, _ = qrDataURL(s.repURL(r.ID), 240)
		out = append(out, card)
	}
	slices.SortStableFunc(out, func(a, b RepCard) int {
		if a.OnDutyToday != b.OnDutyToday {
			if a.OnDutyToday {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Constituency, b.Constituency)
	})
	return out, nil
}

// repURL is what a representative's "扫码找代表" QR opens: the hub's page for leaving them a
// message from a phone.
func (s *Station) repURL(id string) string {
	base := strings.TrimRight(s.cfg.HubURL, "/")
	if base == "" {
		base = "http://hub.invalid"
	}
	return base + "/r/" + id
}

// today is the station's calendar day (China time, as the store and the roster count days),
// whatever time zone the device's system clock is set to.
func (s *Station) today() string {
	return s.now().In(s.store.Location()).Format(time.DateOnly)
}

type dutyDay struct {
	rostered map[string]bool
	signedIn map[string]bool
}

func (s *Station) dutyToday(ctx context.Context) dutyDay {
	d := dutyDay{rostered: map[string]bool{}, signedIn: map[string]bool{}}
	day := s.today()
	shifts, err := s.store.DutyToday(ctx, day)
	if err != nil {
		s.log.Warn("duty roster", "err", err)
		return d
	}
	for _, sh := range shifts {
		if sh.Station != "" && s.id.station != "" && sh.Station != s.id.station {
			continue
		}
		for _, id := range sh.RepIDs {
			d.rostered[id] = true
		}
	}
	signed, err := s.store.SignedIn(ctx, day)
	if err == nil {
		for _, id := range signed {
			d.signedIn[id] = true
		}
	}
	return d
}

// Activities lists the station's activities, current and upcoming first.
func (k *Kiosk) Activities() ([]ActivityCard, error) {
	s := k.s
	if err := s.ready(); err != nil {
		return nil, err
	}
	ctx := context.Background()
	acts, err := s.store.Activities(ctx)
	if err != nil {
		s.log.Error("list activities", "err", err)
		return nil, errorf(CodeStoreFailed, "读取活动失败")
	}
	now := s.now()
	out := make([]ActivityCard, 0, len(acts))
	for _, a := range acts {
		if s.id.station != "" && a.Station != "" && a.Station != s.id.station {
			continue
		}
		att, _ := s.store.ActivityCounts(ctx, a.ID)
		out = append(out, ActivityCard{
			ID: a.ID, Title: a.Title, Kind: a.Kind, Place: a.Place,
			Starts: a.Starts.Format(time.RFC3339), Ends: a.Ends.Format(time.RFC3339),
			Capacity: a.Capacity, SignedUp: att.SignedUp, Attended: att.Attended,
			State: activityState(a, now),
		})
	}
	order := map[string]int{"live": 0, "upcoming": 1, "past": 2}
	slices.SortStableFunc(out, func(a, b ActivityCard) int {
		if order[a.State] != order[b.State] {
			return order[a.State] - order[b.State]
		}
		if a.State == "past" {
			return strings.Compare(b.Starts, a.Starts)
		}
		return strings.Compare(a.Starts, b.Starts)
	})
	return out, nil
}

func activityState(a domain.Activity, now time.Time) string {
	switch {
	case now.Before(a.Starts):
		return "upcoming"
	case now.Before(a.Ends):
		return "live"
	default:
		return "past"
	}
}
