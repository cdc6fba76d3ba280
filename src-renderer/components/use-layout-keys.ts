import { useEffect } from 'react';
import { isEditableTarget } from '../lib/editable-target';
import type { AppStore } from '../store/app-store';

/**
 * The layout's shortcuts: Ctrl/⌘+B shows or hides the navigation pane; `r` switches reading mode, Esc leaves
 * it; `?` opens the help. Letters are left to text fields and the trees (their type-ahead); the article list has no
 * type-ahead, so `r` and `?` work there too (focus sits in the list after a row is clicked).
 */
export function useLayoutKeys(store: AppStore, openHelp: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      const state = store.getState();
      const mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'b') {
        event.preventDefault();
        state.toggleNav();
        return;
      }
      if (mod || event.altKey || isEditableTarget(event.target)) return;
      const inWidget = event.target instanceof Element && event.target.closest('[role="tree"], [role="listbox"], [role="dialog"]');
      const inTypeAhead = event.target instanceof Element && event.target.closest('[role="tree"], [role="dialog"]');
      if (event.key === 'Escape' && state.readingMode && !state.problemsOpen && !inWidget) {
        // Before the global Esc (which would also clear the search): leaving reading mode is all it does.
        event.preventDefault();
        state.setReadingMode(false);
      } else if (inTypeAhead || event.key === 'Escape') {
        return;
      } else if (event.key === '?') {
        event.preventDefault();
        openHelp();
      } else if (event.key === 'r' && !event.shiftKey) {
        event.preventDefault();
        state.setReadingMode();
      }
    };
    // Capture: ahead of the global keys' Esc.
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [store, openHelp]);
}
