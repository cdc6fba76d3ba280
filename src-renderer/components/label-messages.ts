/** Strings of the label controls that the main message table does not hold: colour names and the name rule. */
import { LABEL_COLOR_NAMES } from '../../src-main/shared/labels';
import { useI18n } from '../use-i18n';

const en = {
  noQuote: 'A label name cannot contain a double quote (").',
};
const zh: typeof en = {
  noQuote: '标签名称不能包含双引号（"）。',
};

/** The label messages of the UI language, and a colour's name in it (for a swatch's accessible name). */
export function useLabelMessages(): typeof en & { colorName(color: string): string } {
  const { language } = useI18n();
  return {
    ...(language === 'zh' ? zh : en),
    colorName: (color) => LABEL_COLOR_NAMES.find((c) => c.color === color)?.[language] ?? color,
  };
}
