/** The list's "Collapse versions" strings, English and Chinese (issue 14 part 3). */
import type { Language } from '../i18n';
import { useI18n } from '../use-i18n';

const en = {
  collapseVersions: 'Collapse versions',
  collapseHint: 'One row per story: reprints of the same copy are counted as versions',
  storyCount: (n: string) => `${n} ${n === '1' ? 'story' : 'stories'}`,
  postCountsNote: 'The timeline and trees still count posts.',
  versionsBadge: (n: number) => `+${n} ${n === 1 ? 'version' : 'versions'}`,
  versionsBadgeLabel: (n: number, title: string) => `Show the ${n} other ${n === 1 ? 'version' : 'versions'} of “${title}”`,
  versionsBadgeTitle: (n: number) =>
    `This post's ${n} other ${n === 1 ? 'version' : 'versions'} in this list (its Other versions). The row stands for its whole story: posts linked only through those versions show with collapsing off.`,
};

const zh: typeof en = {
  collapseVersions: '合并版本',
  collapseHint: '每篇报道一行：同一稿件的转载计为其版本',
  storyCount: (n) => `${n} 篇报道`,
  postCountsNote: '时间线与目录仍按文章计数。',
  versionsBadge: (n) => `+${n} 个版本`,
  versionsBadgeLabel: (n, title) => `查看“${title}”的其他 ${n} 个版本`,
  versionsBadgeTitle: (n) => `本篇在此列表中的其他 ${n} 个版本（即其“其他版本”）。此行代表整篇报道：仅经这些版本相连的文章在关闭合并后显示。`,
};

export type CollapseMessages = typeof en;
export const COLLAPSE_MESSAGES: Record<Language, CollapseMessages> = { en, zh };

export function useCollapseMessages(): CollapseMessages {
  return COLLAPSE_MESSAGES[useI18n().language];
}
