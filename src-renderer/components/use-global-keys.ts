import { useEffect, type RefObject } from 'react';
import { isEditableTarget } from '../lib/editable-target';
import type { AppStore } from '../store/app-store';

/**
 * Shortcuts that work wherever focus is: `/` and Ctrl/⌘+F go to the search field; j/k read the next/previous
 * article (the list handles its own keys when it has focus, trees theirs); Esc clears the search.
 */
export function useGlobalKeys(store: AppStore, searchRef: RefObject<HTMLInputElement | null>): void {
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
      if (mod || event.altKey || isEditableTarget(event.target)) return;
      const inWidget = event.target instanceof Element && event.target.closest('[role="tree"], [role="listbox"], [role="dialog"]');
      if (event.key === '/') {
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if ((event.key === 'j' || event.key === 'k') && !inWidget) {
        event.preventDefault();
        state.moveSelection(event.key === 'j' ? 1 : -1);
        void state.openSelected();
      } else if (event.key === 'Escape' && !state.problemsOpen) {
        if (state.query) state.clearQuery();
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, searchRef]);
}
