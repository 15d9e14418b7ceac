// Package seed generates a deterministic demo street: one liaison station with its
// communities, representatives, duty roster, departments, categories, activities, projects
// and about two hundred historical cases in every lifecycle state. Everything is expressed as
// events, so each projection the hub and the stations build is an ordinary fold.
package seed

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/google/uuid"

	"liaison/sync/domain"
)

// ImportName names the demo import in the hub store; loading it again is a no-op.
const ImportName = "demo-" + StationCode

// DefaultSeed is the seed the command-line tools use unless told otherwise.
const DefaultSeed = 20240301

// DeviceCode is the device code in the demo cases' numbers. No real device gets it (real
// codes are K… and W…), so demo numbers never collide with numbers a kiosk makes.
const DeviceCode = "D0"

// HistoryDays is how far back the demo cases reach.
const HistoryDays = 60

// CaseCount is how many historical cases the demo holds.
const CaseCount = 200

// Demo is the generated street: the reference data as values, and all of it plus the case
// history as events in the order they are to be appended.
type Demo struct {
	Station         domain.Station
	Representatives []domain.Representative
	Departments     []domain.Department
	Categories      []domain.Category
	Activities      []domain.Activity
	Projects        []domain.Project
	Roster          []domain.DutyShift
	Events          []domain.Event
}

// Importer appends hub-originated events once per name (store.Store's Import).
type Importer interface {
	Import(ctx context.Context, name string, evs []domain.Event) (bool, error)
}

// Load generates the demo for seed and now and imports it under ImportName. It reports
// whether anything was appended: false when the demo was already loaded.
func Load(ctx context.Context, imp Importer, seed int64, now time.Time) (bool, error) {
	d, err := Generate(seed, now)
	if err != nil {
		return false, err
	}
	ok, err := imp.Import(ctx, ImportName, d.Events)
	if err != nil {
		return false, fmt.Errorf("load demo: %w", err)
	}
	return ok, nil
}

// gen carries the generator's state: one seeded source feeds every choice, so the same seed
// and now give the same street, byte for byte.
type gen struct {
	rng *rand.Rand
	now time.Time
	loc *time.Location
	d   Demo
	// share is the percentage of the demo street's case history a street gets (100 for the
	// demo street); streetDepts replaces the demo street's own offices with another's.
	share       int
	streetDepts map[string]string
	staff       domain.Actor
}

// Generate builds the demo street for seed as of now.
func Generate(seed int64, now time.Time) (Demo, error) {
	g := &gen{rng: rand.New(rand.NewPCG(uint64(seed), 0x6c69616973)), now: now.UTC(),
		loc: time.FixedZone("CST", 8*3600), share: 100, staff: staffActor}
	g.reference()
	if err := g.refEvents(); err != nil {
		return Demo{}, err
	}
	cases, err := g.history()
	if err != nil {
		return Demo{}, err
	}
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].At.Before(cases[j].At) })
	g.d.Events = append(g.d.Events, cases...)
	return g.d, nil
}

// eventID makes a UUIDv7-shaped id from the event time and the seeded source, so ids sort by
// time like the stations' ids do and stay deterministic.
func (g *gen) eventID(at time.Time) string {
	var u uuid.UUID
	ms := uint64(at.UnixMilli())
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], ms)
	copy(u[0:6], ts[2:8])
	binary.BigEndian.PutUint64(u[6:14], g.rng.Uint64())
	binary.BigEndian.PutUint16(u[14:16], uint16(g.rng.Uint32()))
	u[6] = (u[6] & 0x0f) | 0x70 // version 7
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u.String()
}

func (g *gen) pick(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[g.rng.IntN(len(xs))]
}

// day returns local midnight of now's day shifted by offset days, in UTC.
func (g *gen) day(offset int) time.Time {
	l := g.now.In(g.loc)
	return time.Date(l.Year(), l.Month(), l.Day()+offset, 0, 0, 0, 0, g.loc).UTC()
}

func (g *gen) reference() {
	g.d.Station = demoStation
	g.d.Station.Communities = append([]string(nil), demoStation.Communities...)
	for i, r := range reps {
		c := constituencies[r.constituency]
		g.d.Representatives = append(g.d.Representatives, domain.Representative{
			ID: fmt.Sprintf("%s-R%02d", StationCode, i+1), Name: r.name, Gender: r.gender,
			Level: r.level, Constituency: c.name, Title: r.title,
			Communities: append([]string(nil), c.communities...),
			Stations:    []string{StationCode}, PhotoSeed: g.rng.IntN(1 << 16),
		})
	}
	g.d.Departments = append([]domain.Department(nil), departments...)
	for _, c := range categories {
		cat := c.cat
		cat.Templates = append([]string(nil), c.cat.Templates...)
		g.d.Categories = append(g.d.Categories, cat)
	}
	g.roster()
	g.activities()
	g.projects()
}

// roster puts two or three representatives on duty every weekday from two weeks back to two
// weeks ahead, 9:00–11:30 and 14:00–17:00 local time folded into one shift per day.
func (g *gen) roster() {
	for off := -14; off <= 14; off++ {
		d := g.day(off)
		wd := d.In(g.loc).Weekday()
		if wd == time.Saturday || wd == time.Sunday {
			continue
		}
		n := 2 + g.rng.IntN(2)
		perm := g.rng.Perm(len(g.d.Representatives))
		ids := make([]string, 0, n)
		for _, p := range perm[:n] {
			ids = append(ids, g.d.Representatives[p].ID)
		}
		sort.Strings(ids)
		g.d.Roster = append(g.d.Roster, domain.DutyShift{Station: StationCode,
			Day: d.In(g.loc).Format("2006-01-02"), RepIDs: ids,
			Starts: d.Add(9 * time.Hour), Ends: d.Add(17 * time.Hour)})
	}
}

type activitySeed struct {
	title, kind, place string
	dayOffset          int
	startHour, hours   float64
	capacity           int
}

func (g *gen) activities() {
	// One activity is always under way at now, whatever the hour, so the wall has one to show.
	nowLocal := g.now.In(g.loc)
	hourNow := float64(nowLocal.Hour()) + float64(nowLocal.Minute())/60
	list := []activitySeed{
		{"代表接待选民日", "接待日", "联络站接待室", -21, 9, 3, 30},
		{"老旧小区加装电梯专题视察", "视察", "长青社区", -12, 14, 2.5, 20},
		{"民生实事项目议事会", "议事会", "联络站会议室", -5, 15, 2, 40},
		{"代表履职能力培训", "培训", "街道会议中心", -2, 9, 4, 60},
		{"“家门口”代表接待日", "接待日", "联络站接待室", 0, hourNow - 1, 3, 30},
		{"背街小巷环境整治调研", "视察", "新桥社区", 2, 9.5, 2, 15},
		{"养老服务设施议事会", "议事会", "枫林社区活动室", 5, 14.5, 2, 35},
		{"代表接待选民日", "接待日", "联络站接待室", 9, 9, 3, 30},
	}
	// Inspections, meetings and training invite the station's representatives, who sign up
	// on their phones; the reception days are the residents'.
	var everyone []string
	for _, r := range g.d.Representatives {
		everyone = append(everyone, r.ID)
	}
	for i, a := range list {
		start := g.day(a.dayOffset).Add(time.Duration(a.startHour * float64(time.Hour))).Truncate(time.Minute)
		act := domain.Activity{
			ID: fmt.Sprintf("%s-A%02d", StationCode, i+1), Station: StationCode, Title: a.title,
			Kind: a.kind, Place: a.place, Starts: start,
			Ends: start.Add(time.Duration(a.hours * float64(time.Hour))), Capacity: a.capacity,
		}
		if a.kind != "接待日" {
			act.Invited = append([]string(nil), everyone...)
		}
		g.d.Activities = append(g.d.Activities, act)
	}
}

func (g *gen) projects() {
	type ms struct {
		title string
		off   int
	}
	list := []struct {
		name       string
		milestones []ms
	}{
		{"长青社区老旧小区加装电梯", []ms{{"居民意见征询", -50}, {"设计方案公示", -20}, {"施工进场", 10}, {"竣工验收", 60}}},
		{"幸福里社区嵌入式养老服务站", []ms{{"选址确定", -40}, {"装修改造", -5}, {"试运营", 25}}},
		{"枫林路背街小巷整治", []ms{{"立项", -55}, {"管线改造", -30}, {"路面铺装", -8}, {"绿化提升", 12}}},
		{"新桥社区公共充电桩建设", []ms{{"点位勘查", -15}, {"设备采购", 20}, {"安装调试", 45}}},
	}
	for i, p := range list {
		pr := domain.Project{ID: fmt.Sprintf("%s-P%02d", StationCode, i+1), Station: StationCode, Name: p.name}
		done := 0
		for _, m := range p.milestones {
			due := g.day(m.off)
			ok := m.off < 0
			if ok {
				done++
			}
			pr.Milestones = append(pr.Milestones, domain.Milestone{Title: m.title, Due: due, Done: ok})
		}
		// Progress follows the milestones done, with some work under way on the next one.
		pr.Progress = min(100, done*100/len(p.milestones)+g.rng.IntN(15))
		g.d.Projects = append(g.d.Projects, pr)
	}
}

// refEvents turns the reference data into ref.* events dated just before the history starts.
func (g *gen) refEvents() error {
	at := g.day(-HistoryDays - 1).Add(8 * time.Hour)
	add := func(kind domain.Kind, station, stream string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode %s: %w", kind, err)
		}
		g.d.Events = append(g.d.Events, domain.Event{ID: g.eventID(at), Station: station,
			Stream: stream, Kind: kind, At: at, Actor: systemActor, Data: b})
		return nil
	}
	errs := []error{add(domain.KindStationUpserted, StationCode, "station:"+StationCode, g.d.Station)}
	for _, d := range g.d.Departments {
		errs = append(errs, add(domain.KindDepartmentUpserted, "", "dept:"+d.Code, d))
	}
	for _, c := range g.d.Categories {
		errs = append(errs, add(domain.KindCategoryUpserted, "", "category:"+c.Code, c))
	}
	for _, r := range g.d.Representatives {
		errs = append(errs, add(domain.KindRepresentativeUpserted, StationCode, "rep:"+r.ID, r))
	}
	for _, s := range g.d.Roster {
		errs = append(errs, add(domain.KindDutyRosterUpserted, StationCode, "duty:"+StationCode+":"+s.Day, s))
	}
	for _, a := range g.d.Activities {
		errs = append(errs, add(domain.KindActivityUpserted, StationCode, "activity:"+a.ID, a))
	}
	for _, p := range g.d.Projects {
		errs = append(errs, add(domain.KindProjectUpserted, StationCode, "project:"+p.ID, p))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

var (
	systemActor = domain.Actor{Role: domain.RoleSystem, ID: "seed", Name: "系统"}
	staffActor  = domain.Actor{Role: domain.RoleStaff, ID: "staff-hx", Name: "街道人大工委"}
)
