// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { SETTINGS_KEY } from '../../src-renderer/store/app-store';
import { FONT_SIZE } from '../../src-renderer/store/settings-slice';
import { FakeApi } from './fake-api';
import { makeStore, memoryStorage } from './test-utils';

describe('settings slice', () => {
  test('the language follows the browser until the reader picks one', () => {
    expect(makeStore(new FakeApi(), { navigatorLanguage: 'zh-CN' }).getState().language).toBe('zh');
    expect(makeStore(new FakeApi(), { navigatorLanguage: 'zh-Hant-TW' }).getState().language).toBe('zh');
    expect(makeStore(new FakeApi(), { navigatorLanguage: 'en-GB' }).getState().language).toBe('en');
    expect(makeStore(new FakeApi(), { navigatorLanguage: 'fr-FR' }).getState().language).toBe('en');
  });

  test('choices survive a restart; an unchosen language keeps following the browser', () => {
    const storage = memoryStorage();
    const first = makeStore(new FakeApi(), { storage, navigatorLanguage: 'en-US' });
    first.getState().setTheme('dark');
    first.getState().changeFontSize(3);
    first.getState().setPaneWidth('nav', 300);
    const second = makeStore(new FakeApi(), { storage, navigatorLanguage: 'zh-CN' });
    expect(second.getState()).toMatchObject({ theme: 'dark', fontSize: FONT_SIZE.default + 3, navWidth: 300, language: 'zh' });

    second.getState().setLanguage('en');
    const third = makeStore(new FakeApi(), { storage, navigatorLanguage: 'zh-CN' });
    expect(third.getState().language).toBe('en');
    expect(third.getState().languageChosen).toBe(true);
  });

  test('only settings are stored, never archive data or queries', async () => {
    const storage = memoryStorage();
    const store = makeStore(new FakeApi(), { storage });
    await store.getState().init();
    store.getState().setQuery('secret source name');
    store.getState().setTheme('light');
    const saved = JSON.parse(storage.getItem(SETTINGS_KEY) ?? '{}') as { state: Record<string, unknown> };
    expect(Object.keys(saved.state).sort()).toEqual(['fontSize', 'listWidth', 'navCollapsed', 'navWidth', 'theme']);
  });

  test('stored values are checked: wrong types are ignored, numbers clamped', () => {
    const storage = memoryStorage();
    storage.setItem(SETTINGS_KEY, JSON.stringify({ state: { theme: 'neon', fontSize: 400, language: 'de', navWidth: 'wide', listWidth: 10 }, version: 1 }));
    const s = makeStore(new FakeApi(), { storage }).getState();
    expect(s.theme).toBe('system');
    expect(s.fontSize).toBe(FONT_SIZE.max);
    expect(s.language).toBe('en');
    expect(s.languageChosen).toBe(false);
    expect(s.navWidth).toBe(250);
    expect(s.listWidth).toBe(240);
  });

  test('font size stays within its range', () => {
    const store = makeStore(new FakeApi());
    store.getState().setFontSize(1);
    expect(store.getState().fontSize).toBe(FONT_SIZE.min);
    store.getState().changeFontSize(-1);
    expect(store.getState().fontSize).toBe(FONT_SIZE.min);
    store.getState().setFontSize(99);
    expect(store.getState().fontSize).toBe(FONT_SIZE.max);
  });

  test('the navigation pane folds (kept across sessions, checked when read); reading mode switches for this session', () => {
    const storage = memoryStorage();
    const store = makeStore(new FakeApi(), { storage });
    expect(store.getState().navCollapsed).toBe(false);
    expect(store.getState().readingMode).toBe(false);
    store.getState().toggleNav();
    store.getState().setReadingMode();
    expect(store.getState().navCollapsed).toBe(true);
    expect(store.getState().readingMode).toBe(true);
    const again = makeStore(new FakeApi(), { storage });
    expect(again.getState().navCollapsed).toBe(true);
    // A new session starts with the list, never stuck on an empty reading pane.
    expect(again.getState().readingMode).toBe(false);
    // Showing the navigation pane leaves reading mode (else the button would do nothing visible).
    store.getState().toggleNav();
    expect(store.getState().navCollapsed).toBe(false);
    expect(store.getState().readingMode).toBe(false);
    store.getState().setReadingMode(true);
    store.getState().setReadingMode(false);
    expect(store.getState().readingMode).toBe(false);

    storage.setItem(SETTINGS_KEY, JSON.stringify({ state: { navCollapsed: 'yes' }, version: 1 }));
    expect(makeStore(new FakeApi(), { storage }).getState().navCollapsed).toBe(false);
  });
});
