// The names of the acts that earn 履职 points: the console's and the phone's catalogues both use them.
export default {
  duty: '值班签到',
  claim: '领办事项',
  cohandle: '协办事项',
  reply_on_time: '按时首次答复',
  reply_late: '超时首次答复',
  handled: '办结事项',
  rated_satisfied: '群众满意',
  rated_basically: '群众基本满意',
  rated_unsatisfied: '群众不满意',
  activity: '活动签到',
  reception: '接待群众',
}
