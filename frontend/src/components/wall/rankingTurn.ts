// The 评议 ranking shares the trend chart's place on the wall: the trend shows for
// TREND_TICKS ticks, then the ranking one page per tick, then the trend again. Without a
// published ranking the trend stays. Pure, so the rotation is tested without a clock.

/** One tick of the rotation, on the wall's animation clock. */
export const RANKING_TICK_MS = 10_000
/** How many ticks the trend stays between two showings of the ranking. */
export const TREND_TICKS = 2
/** Ranking rows on one page of the panel (740×290 design px). */
export const RANKING_PAGE_SIZE = 4

export interface RankingTurn {
  /** null: the trend is showing; otherwise the ranking's page. */
  page: number | null
  /** Ticks the trend has shown since the ranking last did. */
  trendTicks: number
}

export const TREND_ONLY: RankingTurn = { page: null, trendTicks: 0 }

/** The turn after one tick, for a ranking of rows rows. */
export function nextTurn(turn: RankingTurn, rows: number, pageSize = RANKING_PAGE_SIZE): RankingTurn {
  if (rows <= 0) return TREND_ONLY
  const pages = Math.ceil(rows / pageSize)
  if (turn.page === null) {
    const ticks = turn.trendTicks + 1
    return ticks >= TREND_TICKS ? { page: 0, trendTicks: 0 } : { page: null, trendTicks: ticks }
  }
  const next = turn.page + 1
  return next >= pages ? TREND_ONLY : { page: next, trendTicks: 0 }
}
