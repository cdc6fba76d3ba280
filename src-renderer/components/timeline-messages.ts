/** The timeline's and the batch search's strings, English and Chinese (issue 14). */
import type { Language } from '../i18n';
import { useI18n } from '../use-i18n';
import type { TimelineUnit } from '../../src-main/shared/archive-api';

const en = {
  timeline: 'Timeline',
  timelineChart: (total: string, by: string) => `Posts over time: ${total} dated, ${by.toLowerCase()}`,
  unit: { day: 'By day', week: 'By week', month: 'By month', year: 'By year' } satisfies Record<TimelineUnit, string>,
  auto: 'Auto size',
  peak: (n: string) => `peak ${n}`,
  barSize: 'Bar size',
  undated: (n: string) => `${n} undated`,
  undatedTitle: (n: string) => `${n} ${n === '1' ? 'post' : 'posts'} without a date (not in the chart)`,
  bar: (period: string, count: string) => `${period}: ${count} ${count === '1' ? 'post' : 'posts'}`,
  showTable: 'Table',
  showChart: 'Chart',
  period: 'Period',
  count: 'Posts',
  filterTo: (period: string) => `Show ${period} only`,
  dateRange: (from: string, to: string) => `Dates: ${from} – ${to}`,
  removeRange: 'Remove the date range',
  noDated: 'No dated posts in this result.',
  timelineHint: 'Click a bar to show its period; drag across bars (or Shift+arrows, then Enter) for a range.',
  batch: 'Batch search',
  batchShort: 'Batch',
  batchIntro: 'One search per line, in the search box\u2019s language (phrases and filters work).',
  batchTerms: 'Searches, one per line',
  loadList: 'Load a list…',
  run: 'Run',
  cancel: 'Cancel',
  exportCsv: 'Export CSV',
  term: 'Search',
  hits: 'Hits',
  first: 'First',
  last: 'Last',
  trend: 'By year',
  progress: (done: string, total: string) => `${done} of ${total} searched`,
  cancelled: (done: string, total: string) => `Cancelled after ${done} of ${total}`,
  searchIt: (term: string) => `Search for ${term}`,
};

const zh: typeof en = {
  timeline: '时间线',
  timelineChart: (total, by) => `${by}分布：${total} 篇有日期`,
  unit: { day: '按日', week: '按周', month: '按月', year: '按年' },
  auto: '自动',
  peak: (n) => `最高 ${n}`,
  barSize: '粒度',
  undated: (n) => `无日期：${n}`,
  undatedTitle: (n) => `${n} 篇没有日期（不在图中）`,
  bar: (period, count) => `${period}：${count} 篇`,
  showTable: '表格',
  showChart: '图表',
  period: '时段',
  count: '篇数',
  filterTo: (period) => `只看 ${period}`,
  dateRange: (from, to) => `日期：${from} – ${to}`,
  removeRange: '移除日期范围',
  noDated: '此结果中没有带日期的文章。',
  timelineHint: '点击柱子只看该时段；在柱子上拖动（或 Shift+方向键后按 Enter）选择范围。',
  batch: '批量搜索',
  batchShort: '批量',
  batchIntro: '每行一个搜索，语法与搜索框相同（短语和筛选均可）。',
  batchTerms: '搜索词，每行一个',
  loadList: '载入列表…',
  run: '运行',
  cancel: '取消',
  exportCsv: '导出 CSV',
  term: '搜索',
  hits: '命中',
  first: '最早',
  last: '最晚',
  trend: '按年',
  progress: (done, total) => `已搜索 ${done} / ${total}`,
  cancelled: (done, total) => `已取消（完成 ${done} / ${total}）`,
  searchIt: (term) => `搜索 ${term}`,
};

export type CoverageMessages = typeof en;
export const COVERAGE_MESSAGES: Record<Language, CoverageMessages> = { en, zh };

export function useCoverageMessages(): { c: CoverageMessages; locale: string } {
  const { language, locale } = useI18n();
  return { c: COVERAGE_MESSAGES[language], locale };
}
