package seed

import "liaison/sync/domain"

// StationCode is the code of the demo station.
const StationCode = "HX01"

// The demo street's fixed tables. Every name here is synthetic: the representatives carry the
// placeholder names used in Chinese examples (张三, 李四 …) or the celestial stems.

var demoStation = domain.Station{
	Code:        StationCode,
	Name:        "和谐街道人大代表联络站",
	Address:     "和谐街道示范路1号 社区服务中心二楼",
	Communities: []string{"幸福里社区", "长青社区", "明月社区", "新桥社区", "枫林社区"},
}

type repSeed struct {
	name, gender, level, title string
	constituency               int // index into constituencies
}

// constituencies maps each 选区 to the communities it covers.
var constituencies = []struct {
	name        string
	communities []string
}{
	{"第一选区", []string{"幸福里社区"}},
	{"第二选区", []string{"长青社区", "明月社区"}},
	{"第三选区", []string{"新桥社区"}},
	{"第四选区", []string{"枫林社区"}},
	{"和谐街道联合选区", []string{"幸福里社区", "长青社区", "明月社区", "新桥社区", "枫林社区"}},
}

var reps = []repSeed{
	{"张三", "男", "区人大代表", "幸福里社区党委书记", 0},
	{"李四", "女", "区人大代表", "示范小学副校长", 0},
	{"王五", "男", "区人大代表", "社区卫生服务中心医生", 1},
	{"赵六", "女", "区人大代表", "长青社区居委会主任", 1},
	{"钱七", "男", "区人大代表", "公交公司驾驶员", 1},
	{"孙八", "女", "区人大代表", "新桥社区网格员", 2},
	{"周九", "男", "区人大代表", "物流企业工程师", 2},
	{"吴十", "女", "区人大代表", "枫林社区志愿者服务队队长", 3},
	{"郑甲", "男", "区人大代表", "律师事务所律师", 3},
	{"冯乙", "女", "区人大代表", "养老服务中心负责人", 3},
	{"陈丙", "男", "市人大代表", "制造企业技术总监", 4},
	{"褚丁", "女", "市人大代表", "区人民医院护士长", 4},
	{"卫戊", "男", "市人大代表", "个体工商户", 4},
	{"蒋己", "女", "省人大代表", "农业合作社理事长", 4},
	{"沈庚", "男", "市人大代表", "中学物理教师", 2},
	{"韩辛", "女", "区人大代表", "社区居民", 0},
}

var departments = []domain.Department{
	{Code: "JD-CG", Name: "街道城管科"},
	{Code: "Q-ZJ", Name: "区住建局"},
	{Code: "Q-JT", Name: "区交通局"},
	{Code: "Q-MZ", Name: "区民政局"},
	{Code: "WY", Name: "物业公司"},
	{Code: "JD-SQ", Name: "街道社区建设办"},
	{Code: "Q-SW", Name: "区水务局"},
}

// categorySeed ties a category to the departments that usually handle it and to the texts
// residents typically write about it.
type categorySeed struct {
	cat   domain.Category
	depts []string // department codes
	texts []string // typical case texts
	reply []string // typical department replies
}

var categories = []categorySeed{
	{
		cat: domain.Category{Code: "env", Name: "环境卫生", Icon: "leaf", Order: 1,
			Templates: []string{"垃圾清运不及时", "公共区域卫生差", "噪音扰民", "绿化带缺少养护"}},
		depts: []string{"JD-CG", "WY"},
		texts: []string{
			"小区东门垃圾桶满了两天没人清运，天热味道很大，希望增加清运次数。",
			"菜市场后面的绿化带堆了很多建筑垃圾，请尽快清理。",
			"楼下餐馆每天深夜排风扇噪音很大，影响老人休息。",
			"河道边有人倾倒生活垃圾，水面漂浮物较多。",
			"公共厕所长期无人打扫，洗手池也坏了。",
			"小区里流浪猫较多，投喂点卫生状况差。",
		},
		reply: []string{
			"已协调环卫所将该点位清运调整为每日两次，并加装了分类垃圾桶。",
			"已组织清理建筑垃圾，并对责任单位进行了约谈。",
			"已会同执法队上门检查，商户已加装消音设备。",
		},
	},
	{
		cat: domain.Category{Code: "traffic", Name: "交通出行", Icon: "bus", Order: 2,
			Templates: []string{"公交线路与站点", "道路破损", "停车难", "信号灯与标线"}},
		depts: []string{"Q-JT", "JD-CG"},
		texts: []string{
			"示范路与光明街路口没有左转信号灯，早高峰经常堵车，存在安全隐患。",
			"学校门口接送孩子的车辆乱停，希望施划临时停车位。",
			"新桥公交站的站牌被撞倒了，老人找不到站点。",
			"枫林路人行道地砖破损严重，雨天容易滑倒。",
			"希望开通一条从社区到区医院的公交线路。",
			"小区周边共享单车乱停放，堵塞盲道。",
		},
		reply: []string{
			"经现场勘查，已将该路口信号灯配时方案调整，并计划增设左转相位。",
			"已协调交警部门在校门口设置限时停车位，上下学时段安排人员疏导。",
			"破损地砖已全部更换，后续纳入日常巡查。",
		},
	},
	{
		cat: domain.Category{Code: "property", Name: "物业管理", Icon: "building", Order: 3,
			Templates: []string{"电梯故障", "物业服务质量", "楼道堆物", "维修基金使用"}},
		depts: []string{"WY", "Q-ZJ"},
		texts: []string{
			"3号楼电梯这个月已经坏了三次，楼里住着很多老人，上下楼很困难。",
			"楼道里堆放了大量杂物，存在消防隐患，物业一直不处理。",
			"小区门禁系统坏了一个月，外来人员随意进出。",
			"顶楼漏水，申请使用维修基金的流程不清楚，希望给予指导。",
			"物业费上涨但服务没有改善，希望召开业主大会说明情况。",
		},
		reply: []string{
			"已督促物业公司更换电梯主板，并与维保单位签订了应急响应协议。",
			"物业已组织清理楼道堆物，并张贴了消防安全提示。",
			"已指导业委会按程序申请维修基金，屋面防水工程已排期施工。",
		},
	},
	{
		cat: domain.Category{Code: "elderly", Name: "养老服务", Icon: "heart", Order: 4,
			Templates: []string{"老年食堂", "居家养老上门服务", "适老化改造", "助浴助洁"}},
		depts: []string{"Q-MZ", "JD-SQ"},
		texts: []string{
			"社区老年食堂中午排队时间太长，希望增加窗口或送餐服务。",
			"独居老人家里卫生间没有扶手，申请适老化改造。",
			"居家养老上门服务的预约电话经常打不通。",
			"希望在社区活动室开设老年人智能手机使用培训班。",
			"高龄津贴的申领手续比较复杂，老人不会在网上办理。",
		},
		reply: []string{
			"老年食堂已增设一个取餐窗口，并开通了行动不便老人的送餐服务。",
			"已将该户纳入今年适老化改造名单，扶手已安装完毕。",
			"社区已安排工作人员每周二上门协助老人办理津贴申领。",
		},
	},
	{
		cat: domain.Category{Code: "facility", Name: "公共设施", Icon: "lamp", Order: 5,
			Templates: []string{"路灯不亮", "健身器材损坏", "无障碍设施", "井盖缺失"}},
		depts: []string{"JD-CG", "Q-SW", "Q-ZJ"},
		texts: []string{
			"长青公园东侧一排路灯晚上不亮，居民夜间散步不安全。",
			"小区健身器材有两件已经损坏，孩子玩耍有危险。",
			"明月社区服务中心门口台阶没有无障碍坡道，轮椅进不去。",
			"路口有一个雨水井盖缺失，只用一块木板挡着。",
			"雨天小区低洼处积水严重，希望改造排水管网。",
		},
		reply: []string{
			"路灯线路故障已修复，全部恢复照明。",
			"损坏的健身器材已拆除并更换新器材。",
			"已增设无障碍坡道和扶手，并通过验收。",
		},
	},
	{
		cat: domain.Category{Code: "other", Name: "其他", Icon: "more", Order: 6,
			Templates: []string{"政策咨询", "意见建议", "表扬感谢"}},
		depts: []string{"JD-SQ", "Q-MZ"},
		texts: []string{
			"建议在联络站设置代表接待日的提前预约功能。",
			"希望社区多组织一些青少年暑期公益活动。",
			"咨询灵活就业人员参加社保的相关政策。",
			"建议在社区公告栏定期公布代表履职情况。",
		},
		reply: []string{
			"感谢您的建议，联络站已开通接待日线上预约。",
			"社区已制定暑期活动计划，将在公众号公布报名方式。",
			"已安排工作人员电话解答相关政策并寄送办事指南。",
		},
	},
}

var surnames = []string{"张", "王", "李", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林"}

var buildings = []string{"1号楼", "3号楼2单元", "5栋", "东区12号楼", "西苑小区", "南门附近", "菜市场旁", "公园东侧"}

var progressNotes = []string{
	"已安排工作人员现场查看，正在制定处理方案。",
	"已联系相关责任单位，预计本周内完成整改。",
	"材料采购中，施工队伍已落实。",
	"已完成初步处理，正在跟踪效果。",
}

var returnNotes = []string{
	"该事项不属于本单位职责范围，建议转交相关部门。",
	"现场地址不详，请补充具体位置后重新交办。",
}

var superviseNotes = []string{
	"该事项已超期，请承办单位加快办理并说明原因。",
	"群众多次反映，请列为重点督办事项。",
}

var unsatisfiedComments = []string{"问题没有彻底解决，过几天又出现了。", "回复太笼统，没有具体措施。"}

var satisfiedComments = []string{"处理及时，谢谢代表和工作人员！", "问题已经解决，很满意。", ""}
