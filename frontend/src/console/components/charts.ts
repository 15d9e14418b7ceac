// The monthly report's charts. Only the parts drawn here are registered. Every option comes
// from a pure function (checked without rendering) and names the bundled CJK font: ECharts
// draws its own text and does not take the page's CSS font.
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'
import type { DeptFigures, GroupFigures, HotTopic } from '../api/types'

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

export { echarts }
export type ChartOption = echarts.EChartsCoreOption

/** The same stack as --font-ui in console.css. */
export const FONT_FAMILY = `'Noto Sans SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif`

export const SERIES_COLORS = ['#a1141c', '#1a7f37', '#d4a72c', '#0b57d0'] as const

interface Series {
  name: string
  values: number[]
}

/** barOption draws one horizontal bar per name (long Chinese names read best on the y axis). */
export function barOption(names: string[], series: Series[]): ChartOption {
  return {
    // A printed report must show the final bars, not a frame of their animation.
    animation: false,
    color: [...SERIES_COLORS],
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 12, color: '#1b1f24' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle: { fontFamily: FONT_FAMILY } },
    legend: { top: 0, textStyle: { fontFamily: FONT_FAMILY } },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontFamily: FONT_FAMILY } },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel: { fontFamily: FONT_FAMILY, width: 120, overflow: 'truncate' } },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.values,
      barMaxWidth: 14,
      label: { show: true, position: 'right', fontFamily: FONT_FAMILY, fontSize: 11 },
    })),
  }
}

export interface DepartmentLabels {
  assigned: string
  onTime: string
  returned: string
  supervised: string
}

export function departmentOption(rows: DeptFigures[], l: DepartmentLabels): ChartOption {
  return barOption(
    rows.map((r) => r.name),
    [
      { name: l.assigned, values: rows.map((r) => r.assigned) },
      { name: l.onTime, values: rows.map((r) => r.on_time) },
      { name: l.returned, values: rows.map((r) => r.returned) },
      { name: l.supervised, values: rows.map((r) => r.supervised) },
    ],
  )
}

/** A chart tall enough for its bars: each name gets a row of at least rowPx. */
export function chartHeight(rows: number, seriesCount: number): number {
  const rowPx = Math.max(24, seriesCount * 12 + 8)
  return Math.max(160, rows * rowPx + 60)
}

export interface MonthLabels {
  current: string
  previous: string
}

/** Each group's cases this month beside last month's. */
export function comparisonOption(rows: GroupFigures[], l: MonthLabels): ChartOption {
  return barOption(
    rows.map((r) => r.name),
    [
      { name: l.current, values: rows.map((r) => r.received) },
      { name: l.previous, values: rows.map((r) => r.prev_received) },
    ],
  )
}

/** Each hot topic's cases this month beside last month's. */
export function topicOption(rows: HotTopic[], l: MonthLabels): ChartOption {
  return barOption(
    rows.map((r) => r.word),
    [
      { name: l.current, values: rows.map((r) => r.cases) },
      { name: l.previous, values: rows.map((r) => r.prev_cases) },
    ],
  )
}
