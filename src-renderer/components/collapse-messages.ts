/** The list's "Collapse versions" strings, English and Chinese (issue 14 part 3). */
import type { Language } from '../i18n';
import { useI18n } from '../use-i18n';

const en = {
  collapseVersions: 'Collapse versions',
  collapseHint: 'One row per story: reprints of the same copy are counted as versions',
  storyCount: (n: string) => `${n} ${n === '1' ? 'story' : 'stories'}`,
  postCountsNote: 'Timeline and tree counts are posts, not stories.',
  versionsBadge: (n: number) => `+${n} ${n === 1 ? 'version' : 'versions'}`,
  versionsBadgeLabel: (n: number, title: string) => `Show the ${n} other ${n === 1 ? 'version' : 'versions'} of “${title}”`,
};

const zh: typeof en = {
  collapseVersions: '合并版本',
  collapseHint: '每篇报道一行：同一稿件的转载计为其版本',
  storyCount: (n) => `${n} 篇报道`,
  postCountsNote: '时间线和目录中的数字为文章篇数，不按报道合并。',
  versionsBadge: (n) => `+${n} 个版本`,
  versionsBadgeLabel: (n, title) => `查看“${title}”的其他 ${n} 个版本`,
};

export type CollapseMessages = typeof en;
export const COLLAPSE_MESSAGES: Record<Language, CollapseMessages> = { en, zh };

export function useCollapseMessages(): CollapseMessages {
  return COLLAPSE_MESSAGES[useI18n().language];
}
