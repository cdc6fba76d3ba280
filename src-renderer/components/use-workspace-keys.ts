import { useEffect } from 'react';
import { isEditableTarget } from '../lib/editable-target';
import type { AppStore } from '../store/app-store';

/** `s` stars or unstars the open article (not while typing, nor in a dialog; holding it down toggles once). */
export function useWorkspaceKeys(store: AppStore): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key !== 's' || isEditableTarget(event.target)) return;
      if (event.repeat) {
        event.preventDefault();
        return;
      }
      if (event.target instanceof Element && event.target.closest('[role="dialog"]')) return;
      const state = store.getState();
      if (!state.articlePath) return;
      event.preventDefault();
      void state.toggleStar(state.articlePath);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
