/** Strings of the label controls that the main message table does not hold: colour names and the name rule. */
import { LABEL_COLOR_NAMES } from '../../src-main/shared/labels';
import { useI18n } from '../use-i18n';

const en = {
  noQuote: 'A label name cannot contain a double quote (").',
  sharedWithTeam: 'Shared with the team',
  sharedBy: (owner: string): string => `Shared by ${owner}`,
  /** A label row's short tags (the pane is narrow): one's own shared label, another's. */
  sharedTag: 'shared',
  ownerTag: (owner: string): string => `by ${owner}`,
  readOnlyShared: (owner: string): string => `Only ${owner} can rename, recolour, delete or unshare this label; you can label posts with it and list them.`,
  close: 'Close',
};
const zh: typeof en = {
  noQuote: '标签名称不能包含双引号（"）。',
  sharedWithTeam: '与团队共享',
  sharedBy: (owner) => `${owner} 共享`,
  sharedTag: '已共享',
  ownerTag: (owner) => `${owner} 共享`,
  readOnlyShared: (owner) => `只有 ${owner} 可以重命名、改色、删除或取消共享此标签；你可以用它标记文章并列出文章。`,
  close: '关闭',
};

/** The label messages of the UI language, and a colour's name in it (for a swatch's accessible name). */
export function useLabelMessages(): typeof en & { colorName(color: string): string } {
  const { language } = useI18n();
  return {
    ...(language === 'zh' ? zh : en),
    colorName: (color) => LABEL_COLOR_NAMES.find((c) => c.color === color)?.[language] ?? color,
  };
}
