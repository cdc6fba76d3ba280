/**
 * Label rules both sides apply: the colours (the host gives new labels one in turn, the renderer offers them as
 * named swatches) and what a label name may not hold. Pure: the renderer imports it too.
 */

/** The label colours, in the order the host hands them out, each with its name for screen readers. */
export const LABEL_COLOR_NAMES = [
  { color: '#d64545', en: 'red', zh: '红色' },
  { color: '#e08a1e', en: 'orange', zh: '橙色' },
  { color: '#c9a400', en: 'yellow', zh: '黄色' },
  { color: '#3f9d4a', en: 'green', zh: '绿色' },
  { color: '#2a9d8f', en: 'teal', zh: '青色' },
  { color: '#3b7dd8', en: 'blue', zh: '蓝色' },
  { color: '#7b5cd6', en: 'purple', zh: '紫色' },
  { color: '#c2509b', en: 'pink', zh: '粉色' },
] as const;

export const LABEL_COLORS: readonly string[] = LABEL_COLOR_NAMES.map((c) => c.color);

/**
 * A label is listed with `label:NAME` or `label:"two words"`; the query language has no escape for `"` inside
 * quotes, so a name holding one could never be listed. Such names are refused where labels are made or renamed.
 */
export const labelNameHasQuote = (name: string): boolean => name.includes('"');
