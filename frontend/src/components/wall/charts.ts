// ECharts for the wall: only the parts the wall draws are registered, and every option is
// built by a pure function so the figures can be checked without rendering. The SVG renderer
// is used because the whole canvas is CSS-scaled (up to 2× on a 4K panel): vectors stay sharp
// where a bitmap would be upscaled and blurred, and an SVG chart updates by diffing in place.
import * as echarts from 'echarts/core'
import { BarChart, FunnelChart, GaugeChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent } from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'
import type { Board } from '@/bindings/models'
import { formatDayShort, ratePercent, truncate } from './format'
import { FONT_FAMILY } from '@/styles/fonts'

echarts.use([BarChart, FunnelChart, GaugeChart, LineChart, GridComponent, LegendComponent, SVGRenderer])

export { echarts }
export type ChartOption = echarts.EChartsCoreOption

/** The wall's palette: dark ground, light text, saturated accents that read from afar. */
export const WALL_COLORS = {
  bg: '#07101f',
  panel: '#0f1b30',
  border: '#23355a',
  text: '#eef3fb',
  muted: '#a9b8d3',
  grid: '#22314f',
  red: '#ff5a5f',
  gold: '#ffc940',
  cyan: '#3ec5ff',
  green: '#3ddc97',
  orange: '#ff9f43',
  violet: '#b18cff',
} as const

export const RATE_COLORS = [WALL_COLORS.cyan, WALL_COLORS.green, WALL_COLORS.gold] as const

// Updates animate briefly; the renderer sleeps again once still. Every chart names the
// bundled CJK font for all its text: ECharts' own default (sans-serif) has no Chinese on a
// device without CJK system fonts. The global textStyle alone is not enough: ECharts sizes
// an axis for its labels (containLabel) with the label's own font, sans-serif unless named.
const FONT = { fontFamily: FONT_FAMILY } as const
const MOTION = {
  animation: true,
  animationDuration: 600,
  animationDurationUpdate: 800,
  textStyle: { fontFamily: FONT_FAMILY },
} as const

const axisText = { color: WALL_COLORS.muted, fontSize: 18, ...FONT }

/** A 270° ring gauge for one rate; null draws an empty track (the figure says "—"). */
export function gaugeOption(rate: number | null, color: string): ChartOption {
  const pct = ratePercent(rate)
  return {
    ...MOTION,
    series: [
      {
        type: 'gauge',
        startAngle: 225,
        endAngle: -45,
        min: 0,
        max: 100,
        radius: '92%',
        center: ['50%', '55%'],
        progress: { show: pct !== null, width: 18, roundCap: true, itemStyle: { color } },
        axisLine: { lineStyle: { width: 18, color: [[1, WALL_COLORS.grid]] } },
        pointer: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        anchor: { show: false },
        title: { show: false },
        detail: { show: false },
        data: [{ value: pct ?? 0 }],
      },
    ],
  }
}

export const FUNNEL_STAGES = ['submitted', 'accepted', 'assigned', 'replied', 'closed'] as const
export type FunnelStage = (typeof FUNNEL_STAGES)[number]

/** The status funnel; labels carry the stage name and its count. */
export function funnelOption(funnel: Board['funnel'], label: (stage: FunnelStage) => string): ChartOption {
  const colors = [WALL_COLORS.cyan, WALL_COLORS.violet, WALL_COLORS.orange, WALL_COLORS.gold, WALL_COLORS.green]
  const max = Math.max(1, ...FUNNEL_STAGES.map((s) => funnel[s]))
  return {
    ...MOTION,
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: 8,
        right: 8,
        top: 6,
        bottom: 6,
        min: 0,
        max,
        minSize: '18%',
        maxSize: '100%',
        gap: 4,
        label: { show: true, position: 'inside', color: '#0a0f1c', fontSize: 20, fontWeight: 700, formatter: '{b}  {c}', ...FONT },
        itemStyle: { borderWidth: 0 },
        data: FUNNEL_STAGES.map((s, i) => ({ name: label(s), value: funnel[s], itemStyle: { color: colors[i] } })),
      },
    ],
  }
}

/** Horizontal bars of the largest categories, largest on top. */
export function categoryOption(categories: Board['categories'], limit = 6): ChartOption {
  const top = [...categories]
    .filter((c) => typeof c.name === 'string' && Number.isFinite(c.count))
    .sort((a, b) => b.count - a.count)
    .slice(0, limit)
    .reverse()
  return {
    ...MOTION,
    grid: { left: 8, right: 56, top: 4, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false, minInterval: 1 },
    yAxis: {
      type: 'category',
      data: top.map((c) => truncate(c.name, 6)),
      axisLine: { show: false },
      axisTick: { show: false },
      // interval 0: every bar keeps its name, never thinned out by the axis.
      axisLabel: { ...axisText, color: WALL_COLORS.text, fontSize: 20, interval: 0 },
    },
    series: [
      {
        type: 'bar',
        data: top.map((c) => c.count),
        barWidth: '58%',
        itemStyle: { color: WALL_COLORS.cyan, borderRadius: [0, 6, 6, 0] },
        label: { show: true, position: 'right', color: WALL_COLORS.text, fontSize: 20, fontWeight: 700, ...FONT },
      },
    ],
  }
}

/** Submissions (line) and closures (bars) per day over the trend window. */
export function trendOption(trend: Board['trend'], names: { submitted: string; closed: string }): ChartOption {
  return {
    ...MOTION,
    legend: {
      top: 0,
      right: 8,
      itemWidth: 24,
      itemHeight: 12,
      textStyle: { color: WALL_COLORS.text, fontSize: 18, ...FONT },
      data: [names.submitted, names.closed],
    },
    grid: { left: 8, right: 16, top: 40, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category',
      data: trend.map((d) => formatDayShort(d.day)),
      axisLine: { lineStyle: { color: WALL_COLORS.grid } },
      axisTick: { show: false },
      axisLabel: { ...axisText, interval: 4 },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitLine: { lineStyle: { color: WALL_COLORS.grid } },
      axisLabel: axisText,
    },
    series: [
      {
        name: names.closed,
        type: 'bar',
        data: trend.map((d) => d.closed),
        barWidth: '55%',
        itemStyle: { color: WALL_COLORS.green, borderRadius: [4, 4, 0, 0] },
      },
      {
        name: names.submitted,
        type: 'line',
        data: trend.map((d) => d.submitted),
        smooth: true,
        symbol: 'none',
        lineStyle: { width: 4, color: WALL_COLORS.gold },
        itemStyle: { color: WALL_COLORS.gold },
        areaStyle: { color: 'rgba(255, 201, 64, 0.12)' },
      },
    ],
  }
}
