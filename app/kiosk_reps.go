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
	sess := k.desk.residents.get()
	community := ""
	if sess != nil {
		community = sess.Community
	}
	all, err := k.repCards(context.Background(), community)
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
	if sess := k.desk.residents.get(); sess != nil {
		community = sess.Community
	}
	return k.repCards(context.Background(), community)
}

func (k *Kiosk) repCards(ctx context.Context, community string) ([]RepCard, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	reps, err := k.Store.Representatives(ctx)
	if err != nil {
		k.Log.Error("list representatives", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	duty := k.dutyToday(ctx)
	out := make([]RepCard, 0, len(reps))
	station := k.id().Station
	for _, r := range reps {
		if r.Retired || station != "" && len(r.Stations) > 0 && !slices.Contains(r.Stations, station) {
			continue
		}
		card := RepCard{
			ID: r.ID, Name: r.Name, Gender: r.Gender, Level: r.Level, Constituency: r.Constituency,
			Title: r.Title, PhotoSeed: r.PhotoSeed, OnDutyToday: duty.rostered[r.ID],
			SignedIn: duty.signedIn[r.ID], Mine: community != "" && slices.Contains(r.Communities, community),
		}
		if strings.HasPrefix(r.Photo, "/media/reps/") {
			card.PhotoURL = k.hubBase() + r.Photo
		}
		card.QRDataURL, _ = qrDataURL(k.repURL(r.ID), 240)
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

// Activities lists the station's activities, current and upcoming first.
func (k *Kiosk) Activities() ([]ActivityCard, error) {
	if err := k.ready(); err != nil {
		return nil, err
	}
	ctx := context.Background()
	acts, err := k.Store.Activities(ctx)
	if err != nil {
		k.Log.Error("list activities", "err", err)
		return nil, appError(domain.CodeStoreReadFailed)
	}
	now := k.Now()
	out := make([]ActivityCard, 0, len(acts))
	for _, a := range acts {
		if !k.ourStation(a.Station) {
			continue
		}
		att, _ := k.Store.ActivityCounts(ctx, a.ID)
		out = append(out, activityCard(a, now, &ActivityStatus{SignedUp: att.SignedUp,
			Confirmed: att.Confirmed, Waiting: att.Waiting, Attended: att.Attended}))
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

// activityCard is an activity as the kiosk lists it, with its figures from st.
func activityCard(a domain.Activity, now time.Time, st *ActivityStatus) ActivityCard {
	return ActivityCard{
		ID: a.ID, Title: a.Title, Kind: a.Kind, Place: a.Place, Description: a.Description,
		Starts: a.Starts.Format(time.RFC3339), Ends: a.Ends.Format(time.RFC3339),
		Capacity: a.Capacity, SignedUp: st.SignedUp, Confirmed: st.Confirmed, Waiting: st.Waiting,
		Attended: st.Attended, State: activityState(a, now), Cancelled: a.Cancelled,
		SignUpRefusal: domain.SignUpRefusal(a, now),
	}
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
