import { useEffect, type RefObject } from 'react';
import { isEditableTarget } from '../lib/editable-target';
import type { AppStore } from '../store/app-store';
import { asReaderView, sameList, viewOf, type ReaderView } from '../store/navigation-slice';

/**
 * Shortcuts that work wherever focus is: `/` and Ctrl/⌘+F go to the search field; j/k read the next/previous
 * article (the list handles its own keys when it has focus, trees theirs); Alt+←/→ and the mouse's back/forward
 * buttons go back and forward through what the reader looked at. Esc is never destructive here: only the search
 * field's own Esc clears the search.
 */
export function useGlobalKeys(store: AppStore, searchRef: RefObject<HTMLInputElement | null>): void {
  useReaderHistory(store);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const state = store.getState();
      const mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      // Alt+←/→ is history, except in a text field, where (on macOS) it moves by word.
      if (event.altKey && !mod && !event.shiftKey && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
        if (isEditableTarget(event.target)) return;
        event.preventDefault();
        if (event.key === 'ArrowLeft') window.history.back();
        else window.history.forward();
        return;
      }
      if (mod || event.altKey || isEditableTarget(event.target)) return;
      const inWidget = event.target instanceof Element && event.target.closest('[role="tree"], [role="listbox"], [role="dialog"]');
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if ((event.key === 'j' || event.key === 'k') && !inWidget) {
        event.preventDefault();
        // Moving the selection opens its article.
        state.moveSelection(event.key === 'j' ? 1 : -1);
      }
    };
    // The mouse's back (button 3) and forward (4) buttons; cancelling mouseup keeps Chromium from acting twice.
    const onMouseUp = (event: MouseEvent): void => {
      if (event.button !== 3 && event.button !== 4) return;
      event.preventDefault();
      if (event.button === 3) window.history.back();
      else window.history.forward();
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('mouseup', onMouseUp);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('mouseup', onMouseUp);
    };
  }, [store, searchRef]);
}

/** Our entry in `history.state`: the view, and whether it came from typing (typing replaces, not pushes). */
interface HistoryEntry {
  backfileView: ReaderView;
  typed: boolean;
}

const entryOf = (state: unknown): HistoryEntry | null => {
  const view = asReaderView((state as { backfileView?: unknown } | null)?.backfileView);
  return view ? { backfileView: view, typed: (state as { typed?: unknown }).typed === true } : null;
};

/**
 * Back/forward through what the reader looked at, kept in the window's own history (desktop and browser mode
 * alike): every change of query, tree selection or open article is an entry (`pushState`), so the browser's Back
 * button steps back inside the app instead of leaving it. Typing replaces the entry it started, so "abc" is one
 * step, not three. `popstate` shows the entry's view again.
 */
export function useReaderHistory(store: AppStore): void {
  useEffect(() => {
    let restoring = false;
    const record = (): void => {
      const state = store.getState();
      if (restoring || !state.info) return;
      const view = viewOf(state);
      const shown = entryOf(window.history.state);
      if (shown && JSON.stringify(shown.backfileView) === JSON.stringify(view)) return;
      const typing =
        shown !== null &&
        shown.backfileView.article === view.article &&
        shown.backfileView.query !== view.query &&
        sameList(shown.backfileView, { ...view, query: shown.backfileView.query });
      const entry: HistoryEntry = { backfileView: view, typed: typing };
      if (!shown || (typing && shown.typed && shown.backfileView.query !== '' && view.query !== '')) {
        window.history.replaceState({ ...(window.history.state as object | null), ...entry }, '');
      } else {
        window.history.pushState(entry, '');
      }
    };
    const onPopState = (event: PopStateEvent): void => {
      const entry = entryOf(event.state);
      if (!entry) return;
      restoring = true;
      try {
        store.getState().restoreView(entry.backfileView);
      } finally {
        restoring = false;
      }
    };
    const unsubscribe = store.subscribe(record);
    window.addEventListener('popstate', onPopState);
    record();
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', onPopState);
    };
  }, [store]);
}
