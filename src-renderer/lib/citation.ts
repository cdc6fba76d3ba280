import type { CitationStyle } from '../../src-main/shared/archive-api';

/** The styles of the "Copy citation" menu, in menu order (the host formats: `citeArticle` in the contract). */
export const CITATION_STYLE_MENU = ['gb7714', 'apa', 'chicago', 'markdown'] as const satisfies readonly CitationStyle[];

// Compile-time check that the menu names every style of the contract.
type Unlisted = Exclude<CitationStyle, (typeof CITATION_STYLE_MENU)[number]>;
const _everyStyleListed: Unlisted extends never ? true : Unlisted = true;
void _everyStyleListed;

/** The style's name as people know it (the same in every UI language). */
export const CITATION_STYLE_NAMES: Record<CitationStyle, string> = {
  gb7714: 'GB/T 7714-2015',
  apa: 'APA 7',
  chicago: 'Chicago',
  markdown: 'Markdown',
};

export const isCitationStyle = (value: unknown): value is CitationStyle => (CITATION_STYLE_MENU as readonly unknown[]).includes(value);
