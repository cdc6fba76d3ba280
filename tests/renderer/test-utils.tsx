/** Shared set-up for renderer tests: a fresh store per test, rendering inside its provider, and waiting. */
import { cleanup, render, type RenderResult } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import type { ReactElement } from 'react';
import type { ArchiveApi } from '../../src-main/shared/archive-api';
import type { StoreOptions } from '../../src-renderer/store/app-state';
import { createAppStore, type AppStore } from '../../src-renderer/store/app-store';
import { StoreProvider } from '../../src-renderer/store/store-context';
import { memoryStorage } from '../../src-renderer/lib/memory-storage';

export { memoryStorage };

export function makeStore(api: ArchiveApi, options: StoreOptions = {}): AppStore {
  return createAppStore(api, { storage: memoryStorage(), navigatorLanguage: 'en-US', ...options });
}

export function renderWithStore(ui: ReactElement, store: AppStore): RenderResult {
  return render(<StoreProvider store={store}>{ui}</StoreProvider>);
}

/** Lets pending promise chains (fake API answers, store updates) run to the end. Real timers only. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * happy-dom does no layout, so every element measures 0×0 and a virtualised list would show nothing.
 * Give elements a viewport-sized box for the test; returns the undo.
 */
export function stubLayout(height = 600, width = 400): () => void {
  const proto = HTMLElement.prototype;
  const saved = (['clientHeight', 'clientWidth', 'offsetHeight', 'offsetWidth'] as const).map(
    (key) => [key, Object.getOwnPropertyDescriptor(proto, key)] as const,
  );
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(proto, 'offsetHeight', { configurable: true, get: () => height });
  Object.defineProperty(proto, 'offsetWidth', { configurable: true, get: () => width });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
  };
}

/**
 * For every test of the calling file: `stubLayout(height, width)` before it; after it, the rendered tree is
 * unmounted (`cleanup`) and the layout restored. Hooks a file registers before this call run after these.
 */
export function useStubbedLayout(height?: number, width?: number): void {
  let restoreLayout: (() => void) | undefined;
  beforeEach(() => {
    restoreLayout = stubLayout(height, width);
  });
  afterEach(() => {
    cleanup();
    restoreLayout?.();
  });
}
