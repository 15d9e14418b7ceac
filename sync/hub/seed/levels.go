package seed

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"liaison/sync/domain"
)

// The demo district: the demo street (和谐街道, station HX01) and a neighbouring street
// (和平街道, station HP01) under one district under one city, so a district's console, board
// and 上报 have two streets to show. It is its own import, so a hub loaded with the demo
// street before levels existed gains the district on its next start.

// LevelsImportName names the demo district's import.
const LevelsImportName = "demo-levels"

// Codes of the demo district's organisation nodes and of the neighbouring street's station.
const (
	CityCode         = "SFS"
	DistrictCode     = "SFQ"
	StreetCode       = "HX"
	NeighbourStreet  = "HP"
	NeighbourStation = "HP01"
)

var orgNodes = []domain.OrgNode{
	{Code: CityCode, Name: "示范市", Level: domain.LevelCity},
	{Code: DistrictCode, Name: "示范区", Level: domain.LevelDistrict, Parent: CityCode},
	{Code: StreetCode, Name: "和谐街道", Level: domain.LevelStreet, Parent: DistrictCode},
	{Code: NeighbourStreet, Name: "和平街道", Level: domain.LevelStreet, Parent: DistrictCode},
}

// deptLevels places the demo departments: the street's offices (街道…) at their street, the
// district's bureaus (区…) at the district, the property company everywhere.
var deptLevels = map[string]string{"JD-CG": StreetCode, "JD-SQ": StreetCode, "Q-ZJ": DistrictCode,
	"Q-JT": DistrictCode, "Q-MZ": DistrictCode, "Q-SW": DistrictCode, "WY": ""}

// neighbourDepts are the neighbouring street's own offices, standing in for the demo
// street's in its history.
var neighbourDepts = []struct {
	dept   domain.Department
	stands string
}{
	{domain.Department{Code: "HP-CG", Name: "和平街道城管科", Node: NeighbourStreet}, "JD-CG"},
	{domain.Department{Code: "HP-SQ", Name: "和平街道社区建设办", Node: NeighbourStreet}, "JD-SQ"},
}

var neighbourStation = domain.Station{
	Code: NeighbourStation, Name: "和平街道人大代表联络站", Address: "和平街道和平路8号 党群服务中心一楼",
	Communities: []string{"和平里社区", "东湖社区", "西苑社区"}, Node: NeighbourStreet,
}

var neighbourReps = []repSeed{
	{"刘壬", "男", "区人大代表", "和平里社区党委书记", 0},
	{"杨癸", "女", "区人大代表", "东湖小学教师", 0},
	{"朱子", "男", "区人大代表", "社区医院医生", 0},
	{"秦丑", "女", "市人大代表", "企业工会主席", 0},
}

// neighbourShare is the neighbouring street's share of the demo street's case history, in
// percent: a smaller street, so the district's figures are not twice one street's.
const neighbourShare = 45

// GenerateLevels builds the demo district's events for seed as of now: the organisation
// nodes, the demo street's station and departments placed in it, and the neighbouring
// street's station, offices, representatives and case history.
func GenerateLevels(seed int64, now time.Time) ([]domain.Event, error) {
	g := &gen{rng: rand.New(rand.NewPCG(uint64(seed), 0x686570696e67)), now: now.UTC(),
		loc: time.FixedZone("CST", 8*3600), share: neighbourShare,
		staff:       domain.Actor{Role: domain.RoleStaff, ID: "staff-hp", Name: "和平街道人大工委"},
		streetDepts: map[string]string{}}
	at := g.day(-HistoryDays - 1).Add(8*time.Hour + time.Minute)
	var evs []domain.Event
	add := func(kind domain.Kind, station, stream string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode %s: %w", kind, err)
		}
		evs = append(evs, domain.Event{ID: g.eventID(at), Station: station, Stream: stream, Kind: kind,
			At: at, Actor: systemActor, Data: b})
		return nil
	}
	var errs []error
	for _, n := range orgNodes {
		errs = append(errs, add(domain.KindOrgNodeUpserted, "", "org:"+n.Code, n))
	}
	demo := demoStation
	demo.Node = StreetCode
	errs = append(errs, add(domain.KindStationUpserted, StationCode, "station:"+StationCode, demo))
	for _, d := range departments {
		d.Node = deptLevels[d.Code]
		g.d.Departments = append(g.d.Departments, d)
		errs = append(errs, add(domain.KindDepartmentUpserted, "", "dept:"+d.Code, d))
	}
	for _, nd := range neighbourDepts {
		g.streetDepts[nd.stands] = nd.dept.Code
		g.d.Departments = append(g.d.Departments, nd.dept)
		errs = append(errs, add(domain.KindDepartmentUpserted, "", "dept:"+nd.dept.Code, nd.dept))
	}
	g.d.Station = neighbourStation
	errs = append(errs, add(domain.KindStationUpserted, NeighbourStation, "station:"+NeighbourStation, g.d.Station))
	for i, r := range neighbourReps {
		rep := domain.Representative{ID: fmt.Sprintf("%s-R%02d", NeighbourStation, i+1), Name: r.name,
			Gender: r.gender, Level: r.level, Constituency: "和平街道第一选区", Title: r.title,
			Communities: append([]string(nil), neighbourStation.Communities...),
			Stations:    []string{NeighbourStation}, PhotoSeed: g.rng.IntN(1 << 16)}
		g.d.Representatives = append(g.d.Representatives, rep)
		errs = append(errs, add(domain.KindRepresentativeUpserted, NeighbourStation, "rep:"+rep.ID, rep))
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	cases, err := g.history()
	if err != nil {
		return nil, err
	}
	sort.SliceStable(cases, func(i, j int) bool { return cases[i].At.Before(cases[j].At) })
	return append(evs, cases...), nil
}

// LoadLevels generates the demo district and imports it under LevelsImportName, after the
// demo street (Load). It reports whether anything was appended.
func LoadLevels(ctx context.Context, imp Importer, seed int64, now time.Time) (bool, error) {
	evs, err := GenerateLevels(seed, now)
	if err != nil {
		return false, err
	}
	ok, err := imp.Import(ctx, LevelsImportName, evs)
	if err != nil {
		return false, fmt.Errorf("load demo district: %w", err)
	}
	return ok, nil
}
