import { useId } from 'react';
import type { Language } from '../i18n';
import type { Theme } from '../store/settings-slice';
import { FONT_SIZE } from '../store/settings-slice';
import { useApp } from '../store/store-context';
import { useI18n } from '../use-i18n';
import { TeamStatus } from './team-status';

/** Archive choice, then the layout (navigation pane, reading mode), display settings and help. */
export function Toolbar({ onHelp }: { onHelp(): void }) {
  const { t } = useI18n();
  const info = useApp((s) => s.info);
  const recent = useApp((s) => s.recent);
  const language = useApp((s) => s.language);
  const theme = useApp((s) => s.theme);
  const fontSize = useApp((s) => s.fontSize);
  const includeHidden = useApp((s) => s.includeHidden);
  const chooseArchive = useApp((s) => s.chooseArchive);
  const openArchive = useApp((s) => s.openArchive);
  const setLanguage = useApp((s) => s.setLanguage);
  const setTheme = useApp((s) => s.setTheme);
  const changeFontSize = useApp((s) => s.changeFontSize);
  const setIncludeHidden = useApp((s) => s.setIncludeHidden);
  const navCollapsed = useApp((s) => s.navCollapsed);
  const readingMode = useApp((s) => s.readingMode);
  const toggleNav = useApp((s) => s.toggleNav);
  const setReadingMode = useApp((s) => s.setReadingMode);
  const ids = useId();
  // Before an archive is open we cannot ask the host; only the desktop app starts without one.
  const canChoose = info ? info.capabilities.chooseFolder : true;
  const otherRecent = recent.filter((r) => r.root !== info?.root);

  return (
    <header className="toolbar" aria-label={t.toolbar}>
      {info && (
        <div className="toolbar-group">
          <button
            type="button"
            className="button button-icon"
            aria-pressed={!navCollapsed && !readingMode}
            aria-label={navCollapsed || readingMode ? t.showNav : t.hideNav}
            title={`${navCollapsed || readingMode ? t.showNav : t.hideNav} (Ctrl+B)`}
            onClick={toggleNav}
          >
            <span aria-hidden="true">☰</span>
          </button>
          <button
            type="button"
            className="button"
            aria-pressed={readingMode}
            title={`${readingMode ? t.leaveReadingMode : t.readingMode} (r)`}
            onClick={() => setReadingMode()}
          >
            {readingMode ? t.leaveReadingMode : t.readingMode}
          </button>
        </div>
      )}
      <div className="toolbar-title">
        <span className="app-name">{t.appName}</span>
        {info && (
          <span className="archive-name" title={info.root}>
            {info.name}
          </span>
        )}
      </div>
      <div className="toolbar-group">
        {canChoose && (
          <button type="button" className="button" onClick={() => void chooseArchive()}>
            {t.openArchive}
          </button>
        )}
        {canChoose && otherRecent.length > 0 && (
          <select
            aria-label={t.recentArchives}
            className="select"
            value=""
            onChange={(event) => {
              if (event.target.value) void openArchive(event.target.value);
            }}
          >
            <option value="" disabled>
              {t.recentPlaceholder}
            </option>
            {otherRecent.map((r) => (
              <option key={r.root} value={r.root} title={r.root}>
                {r.name}
              </option>
            ))}
          </select>
        )}
        <TeamStatus />
      </div>
      <div className="toolbar-group toolbar-end">
        {info && (
          <label className="checkbox">
            <input type="checkbox" checked={includeHidden} onChange={(event) => setIncludeHidden(event.target.checked)} />
            {t.showHidden}
          </label>
        )}
        <label className="visually-hidden" htmlFor={`${ids}-lang`}>
          {t.language}
        </label>
        <select id={`${ids}-lang`} className="select" value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
          <option value="zh">{t.languageNames.zh}</option>
          <option value="en">{t.languageNames.en}</option>
        </select>
        <label className="visually-hidden" htmlFor={`${ids}-theme`}>
          {t.theme}
        </label>
        <select id={`${ids}-theme`} className="select" value={theme} onChange={(event) => setTheme(event.target.value as Theme)}>
          <option value="system">{t.themeSystem}</option>
          <option value="light">{t.themeLight}</option>
          <option value="dark">{t.themeDark}</option>
        </select>
        <div className="font-size" role="group" aria-label={t.fontSize(fontSize)}>
          <button type="button" className="button button-icon" aria-label={t.fontSmaller} disabled={fontSize <= FONT_SIZE.min} onClick={() => changeFontSize(-1)}>
            A−
          </button>
          <span className="font-size-value" aria-hidden="true">
            {fontSize}
          </span>
          <button type="button" className="button button-icon" aria-label={t.fontLarger} disabled={fontSize >= FONT_SIZE.max} onClick={() => changeFontSize(1)}>
            A+
          </button>
        </div>
        <button type="button" className="button button-icon" aria-label={t.help} title={`${t.help} (?)`} onClick={onHelp}>
          ?
        </button>
      </div>
    </header>
  );
}
