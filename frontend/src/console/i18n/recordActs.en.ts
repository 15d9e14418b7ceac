// The names of the acts that earn 履职 points: the console's and the phone's catalogues both use them.
export default {
  duty: 'Duty sign-in',
  claim: 'Case claimed',
  cohandle: 'Case co-handled',
  reply_on_time: 'First reply on time',
  reply_late: 'First reply late',
  handled: 'Case handled',
  rated_satisfied: 'Rated satisfied',
  rated_basically: 'Rated basically satisfied',
  rated_unsatisfied: 'Rated unsatisfied',
  activity: 'Activity check-in',
  reception: 'Reception',
}
