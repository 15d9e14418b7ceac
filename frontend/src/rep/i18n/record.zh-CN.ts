import acts from '@/console/i18n/recordActs.zh-CN'

// 履职: the representative's own points, stars and acts.
export default {
  record: {
    nav: '履职',
    title: '我的履职',
    kinds: { month: '本月', quarter: '本季度', year: '本年' },
    points: '履职积分',
    stars: '星级',
    nextStar: '再得 {n} 分可达 {stars} 星',
    topStar: '已达最高星级',
    replies: '首次答复 {n} 次，{hours} 小时内 {onTime} 次，平均用时 {avg}',
    noReplies: '本期还没有首次答复',
    minutes: '{n} 分钟',
    hoursMinutes: '{h} 小时 {m} 分钟',
    byAct: '积分构成',
    times: '{n} 次',
    pointsN: '{n} 分',
    capped: '已封顶',
    detail: '履职明细',
    none: '本期还没有履职记录',
    pdf: '下载 {year} 年度履职档案（PDF）',
    acts,
  },
}
