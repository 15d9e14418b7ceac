// The levels (街道 → 区 → 市): the area overview and its wall, and the setup of the tree.
export default {
  board: {
    nav: '区域总览',
    title: '区域总览',
    path: '所在层级',
    stations: '{n} 个联络站',
    at: '数据时间 {at}',
    cases: '查看事项',
    wall: '大屏显示',
    noAreas: '下面没有下级区域或联络站',
    levels: { hub: '全部', city: '市', district: '区（县）', street: '街道（乡镇）', station: '联络站' },
    tiles: {
      submitted: '事项总数',
      open: '办理中',
      overdue: '已超期',
      awaiting: '待受理',
      response: '响应率',
      completion: '办结率',
      satisfaction: '满意率',
    },
    columns: { area: '区域', stations: '联络站' },
  },
  orgLevels: { city: '市', district: '区（县）', street: '街道（乡镇）' },
}
