package seed

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/crypto/nacl/box"

	"liaison/sync/domain"
)

// ResidentsImportName names the import of the demo residents; loading it again is a no-op.
const ResidentsImportName = "demo-residents-" + StationCode

// ResidentKeys are the hub keys a demo resident is registered with: the district's key of the
// keyed hash, and the box key the ID number and name are sealed to.
type ResidentKeys interface {
	ResidentKey() []byte
	BoxPublicKey() [32]byte
}

// demoResident is a holder of one of the simulator's sample cards (device/idcard), so that in
// the demo a tapped sample card belongs to a returning resident with a history. The numbers
// are the standard's examples and the names are placeholders.
type demoResident struct {
	idNumber, name, surnameMask, gender, community string
	birthYear                                      int
	cases                                          []residentCase
}

type residentCase struct {
	daysAgo          int
	category, text   string
	building         string
	replied, working bool
	reply            string
}

var demoResidents = []demoResident{
	{idNumber: "11010519491231002X", name: "测试", surnameMask: "测*", gender: "女", birthYear: 1949,
		community: "幸福里社区", cases: []residentCase{
			{daysAgo: 6, category: "facility", building: "3号楼东门", replied: true,
				text:  "小区东门的路灯坏了半个多月，晚上老人出门看不清台阶，希望尽快修好。",
				reply: "经现场查看，东门两盏路灯线路老化，已于本周更换线路和灯具，恢复照明。感谢您的反映。"},
			{daysAgo: 2, category: "elderly", building: "", working: true,
				text: "社区老年食堂午餐能不能多一些软烂的菜，牙口不好的老人吃起来费劲。"},
		}},
	{idNumber: "440524188001010014", name: "张三", surnameMask: "张*", gender: "男", birthYear: 1880,
		community: "长青社区"},
}

type residentStep struct {
	after   time.Duration
	kind    domain.Kind
	actor   domain.Actor
	payload any
}

// Residents returns the demo residents' registrations and their cases as hub events.
func Residents(keys ResidentKeys, now time.Time) ([]domain.Event, error) {
	d, err := Generate(DefaultSeed, now)
	if err != nil {
		return nil, err
	}
	if len(d.Representatives) == 0 || len(d.Departments) == 0 {
		return nil, fmt.Errorf("demo residents: the demo street has no representatives or departments")
	}
	rep, dept := d.Representatives[0], d.Departments[0]
	hubBox := keys.BoxPublicKey()
	rules := domain.DefaultRules()
	var out []domain.Event
	counter := 0
	for _, r := range demoResidents {
		hash := domain.ResidentHash(keys.ResidentKey(), r.idNumber)
		rid := domain.ResidentID(hash)
		sealedID, err := box.SealAnonymous(nil, []byte(r.idNumber), &hubBox, rand.Reader)
		if err != nil {
			return nil, err
		}
		sealedName, err := box.SealAnonymous(nil, []byte(r.name), &hubBox, rand.Reader)
		if err != nil {
			return nil, err
		}
		me := domain.Actor{Role: domain.RoleResident, ID: rid, Name: r.surnameMask}
		registeredAt := now.AddDate(0, 0, -30).UTC().Truncate(time.Second)
		reg := domain.ResidentRegistered{IDHash: hash, IDMasked: domain.MaskID(r.idNumber),
			Sealed: sealedID, SurnameMask: r.surnameMask, NameSealed: sealedName, Gender: r.gender,
			BirthYear: r.birthYear, Community: r.community, CardType: "resident"}
		ev, err := hubEvent(rid, domain.KindResidentRegistered, registeredAt, me, reg)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
		for _, c := range r.cases {
			counter++
			at := now.AddDate(0, 0, -c.daysAgo).UTC().Truncate(time.Second)
			id := domain.NewEventID()
			steps := []residentStep{
				{0, domain.KindCaseSubmitted, me, domain.CaseSubmitted{
					Number: domain.CaseNumber(StationCode, "D1", at.In(rules.Location), counter),
					Token:  domain.NewToken(), Category: c.category, Text: c.text, Community: r.community,
					Building: c.building, ResidentID: rid, SurnameMask: r.surnameMask}},
				{3 * time.Hour, domain.KindCaseAccepted, repActor(rep), domain.CaseAccepted{RepID: rep.ID, RepName: rep.Name}},
				{5 * time.Hour, domain.KindCaseAssigned, staffActor, domain.CaseAssigned{DeptCode: dept.Code,
					DeptName: dept.Name, Due: rules.HandleDeadline(at.Add(5*time.Hour), c.category)}},
			}
			if c.replied {
				steps = append(steps,
					residentStep{30 * time.Hour, domain.KindCaseProgress, deptActor(dept), domain.CaseNote{Note: "已安排电工到现场查看线路。"}},
					residentStep{72 * time.Hour, domain.KindCaseReplied, deptActor(dept), domain.CaseReplied{Reply: c.reply}})
			}
			for _, st := range steps {
				ev, err := hubEvent(id, st.kind, at.Add(st.after), st.actor, st.payload)
				if err != nil {
					return nil, err
				}
				out = append(out, ev)
			}
		}
	}
	return out, nil
}

// LoadResidents imports the demo residents once.
func LoadResidents(ctx context.Context, imp Importer, keys ResidentKeys, now time.Time) (bool, error) {
	evs, err := Residents(keys, now)
	if err != nil {
		return false, err
	}
	ok, err := imp.Import(ctx, ResidentsImportName, evs)
	if err != nil {
		return false, fmt.Errorf("load demo residents: %w", err)
	}
	return ok, nil
}

func hubEvent(stream string, kind domain.Kind, at time.Time, actor domain.Actor, payload any) (domain.Event, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return domain.Event{}, fmt.Errorf("encode %s: %w", kind, err)
	}
	return domain.Event{ID: domain.NewEventID(), Station: StationCode, Stream: stream, Kind: kind,
		At: at.UTC(), Actor: actor, Data: b}, nil
}

func repActor(r domain.Representative) domain.Actor {
	return domain.Actor{Role: domain.RoleRepresentative, ID: r.ID, Name: r.Name}
}

func deptActor(d domain.Department) domain.Actor {
	return domain.Actor{Role: domain.RoleDepartment, ID: d.Code, Name: d.Name}
}
