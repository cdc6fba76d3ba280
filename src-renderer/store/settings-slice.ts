import type { ArchiveApi, CitationStyle } from '../../src-main/shared/archive-api';
import { detectLanguage, type Language } from '../i18n';
import { isCitationStyle } from '../lib/citation';
import type { SliceCreator, StoreOptions } from './app-state';

export type Theme = 'system' | 'light' | 'dark';

export const FONT_SIZE = { min: 12, max: 28, default: 17 } as const;
export const PANE_LIMITS = { nav: { min: 160, max: 520, default: 250 }, list: { min: 240, max: 760, default: 380 } } as const;
export type Pane = keyof typeof PANE_LIMITS;

export interface SettingsSlice {
  language: Language;
  /** The reader picked the language; until then it follows the browser's. */
  languageChosen: boolean;
  theme: Theme;
  /** Reading text size in CSS pixels. */
  fontSize: number;
  navWidth: number;
  listWidth: number;
  /** The navigation pane is folded away (kept across sessions). */
  navCollapsed: boolean;
  /** Reading mode: the article has the whole window (for this session: a new one starts with the list). */
  readingMode: boolean;
  /** The style "Copy citation" uses (kept across sessions once chosen). */
  citationStyle: CitationStyle;
  /** The timeline above the list is open or folded, once the reader chose; `null`: by the window's size. */
  timelineOpen: boolean | null;
  /** The list shows one row per story, its other versions counted on it (ListQuery `collapse`; kept across sessions). */
  collapseVersions: boolean;
  setCollapseVersions(on: boolean): void;
  setLanguage(language: Language): void;
  setTheme(theme: Theme): void;
  setFontSize(px: number): void;
  changeFontSize(delta: number): void;
  setPaneWidth(pane: Pane, px: number): void;
  toggleNav(): void;
  /** Without an argument, switches reading mode over. */
  setReadingMode(on?: boolean): void;
  setCitationStyle(style: CitationStyle): void;
  setTimelineOpen(open: boolean): void;
  /** The post cited in the chosen style, as the host formats it. */
  citeArticle(path: string): Promise<string>;
}

/** The settings kept across sessions (see `partializeSettings`). */
export type PersistedSettings = Partial<Pick<SettingsSlice, 'language' | 'theme' | 'fontSize' | 'navWidth' | 'listWidth' | 'navCollapsed' | 'citationStyle' | 'timelineOpen' | 'collapseVersions'>>;

export const DEFAULT_CITATION_STYLE: CitationStyle = 'gb7714';

const clamp = (n: number, min: number, max: number): number => Math.round(Math.max(min, Math.min(max, n)));

export const createSettingsSlice =
  (options: StoreOptions, api: Pick<ArchiveApi, 'citeArticle'>): SliceCreator<SettingsSlice> =>
  (set, get) => ({
    language: detectLanguage(options.navigatorLanguage ?? (typeof navigator === 'undefined' ? undefined : navigator.language)),
    languageChosen: false,
    theme: 'system',
    fontSize: FONT_SIZE.default,
    navWidth: PANE_LIMITS.nav.default,
    listWidth: PANE_LIMITS.list.default,
    navCollapsed: false,
    readingMode: false,
    citationStyle: DEFAULT_CITATION_STYLE,
    timelineOpen: null,
    collapseVersions: false,

    setCollapseVersions(collapseVersions) {
      if (collapseVersions === get().collapseVersions) return;
      set({ collapseVersions });
      // The list is asked again; the open article stays the current row when it stands for its story.
      void get().runSearch({ keepSelection: true });
    },
    setLanguage: (language) => set({ language, languageChosen: true }),
    setTheme: (theme) => set({ theme }),
    setFontSize: (px) => set({ fontSize: clamp(px, FONT_SIZE.min, FONT_SIZE.max) }),
    changeFontSize: (delta) => get().setFontSize(get().fontSize + delta),
    setPaneWidth(pane, px) {
      const limits = PANE_LIMITS[pane];
      const width = clamp(px, limits.min, limits.max);
      set(pane === 'nav' ? { navWidth: width } : { listWidth: width });
    },
    // In reading mode the pane is out of sight whatever its state: showing it leaves reading mode.
    toggleNav: () => set(get().readingMode ? { navCollapsed: false, readingMode: false } : { navCollapsed: !get().navCollapsed }),
    setReadingMode: (on) => set({ readingMode: on ?? !get().readingMode }),
    setCitationStyle: (citationStyle) => set({ citationStyle }),
    setTimelineOpen: (timelineOpen) => set({ timelineOpen }),
    citeArticle: (path) => api.citeArticle(path, get().citationStyle),
  });

export function partializeSettings(state: SettingsSlice): PersistedSettings {
  const kept: PersistedSettings = {
    theme: state.theme,
    fontSize: state.fontSize,
    navWidth: state.navWidth,
    listWidth: state.listWidth,
    navCollapsed: state.navCollapsed,
  };
  if (state.languageChosen) kept.language = state.language;
  if (state.citationStyle !== DEFAULT_CITATION_STYLE) kept.citationStyle = state.citationStyle;
  if (state.timelineOpen !== null) kept.timelineOpen = state.timelineOpen;
  if (state.collapseVersions) kept.collapseVersions = true;
  return kept;
}

/** Stored settings are data from disk: take only well-formed values, clamp numbers. */
export function mergeSettings<T extends SettingsSlice>(persisted: unknown, current: T): T {
  if (!persisted || typeof persisted !== 'object') return current;
  const p = persisted as Record<string, unknown>;
  const next = { ...current };
  if (p.language === 'zh' || p.language === 'en') {
    next.language = p.language;
    next.languageChosen = true;
  }
  if (p.theme === 'system' || p.theme === 'light' || p.theme === 'dark') next.theme = p.theme;
  if (typeof p.fontSize === 'number' && Number.isFinite(p.fontSize)) next.fontSize = clamp(p.fontSize, FONT_SIZE.min, FONT_SIZE.max);
  if (typeof p.navWidth === 'number' && Number.isFinite(p.navWidth)) {
    next.navWidth = clamp(p.navWidth, PANE_LIMITS.nav.min, PANE_LIMITS.nav.max);
  }
  if (typeof p.listWidth === 'number' && Number.isFinite(p.listWidth)) {
    next.listWidth = clamp(p.listWidth, PANE_LIMITS.list.min, PANE_LIMITS.list.max);
  }
  if (typeof p.navCollapsed === 'boolean') next.navCollapsed = p.navCollapsed;
  if (isCitationStyle(p.citationStyle)) next.citationStyle = p.citationStyle;
  if (typeof p.timelineOpen === 'boolean') next.timelineOpen = p.timelineOpen;
  if (typeof p.collapseVersions === 'boolean') next.collapseVersions = p.collapseVersions;
  return next;
}
