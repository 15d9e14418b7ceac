import acts from '@/console/i18n/recordActs.en'

// 履职: the representative's own points, stars and acts.
export default {
  record: {
    nav: 'Record',
    title: 'My record',
    kinds: { month: 'This month', quarter: 'This quarter', year: 'This year' },
    points: 'Points',
    stars: 'Stars',
    nextStar: '{n} more points for {stars} stars',
    topStar: 'Highest star level reached',
    replies: '{n} first replies, {onTime} within {hours} h, average delay {avg}',
    noReplies: 'No first replies in this period yet',
    minutes: '{n} min',
    hoursMinutes: '{h} h {m} min',
    byAct: 'Points by act',
    times: '{n}×',
    pointsN: '{n} pts',
    capped: 'capped',
    detail: 'Acts',
    none: 'No acts in this period yet',
    pdf: 'Download the {year} annual record (PDF)',
    acts,
  },
}
