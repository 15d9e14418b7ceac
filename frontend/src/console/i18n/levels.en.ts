// The levels (street → district → city): the area overview and its wall, and the setup of the tree.
export default {
  board: {
    nav: 'Overview',
    title: 'Overview',
    path: 'Levels',
    stations: '{n} stations',
    at: 'As of {at}',
    cases: 'Cases',
    wall: 'Wall screen',
    noAreas: 'No areas or stations beneath',
    levels: { hub: 'All', city: 'City', district: 'District', street: 'Street', station: 'Station' },
    tiles: {
      submitted: 'Cases',
      open: 'Open',
      overdue: 'Overdue',
      awaiting: 'To accept',
      response: 'Response',
      completion: 'Completion',
      satisfaction: 'Satisfaction',
    },
    columns: { area: 'Area', stations: 'Stations' },
  },
  orgLevels: { city: 'City', district: 'District', street: 'Street' },
}
