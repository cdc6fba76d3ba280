/** The team-index tests' set-up: a store started on a fake host, with the toolbar and the team dialog rendered. */
import type { ReactNode } from 'react';
import { TeamDialog } from '../../src-renderer/components/team-dialog';
import { Toolbar } from '../../src-renderer/components/toolbar';
import type { AppStore } from '../../src-renderer/store/app-store';
import { connectEvents } from '../../src-renderer/store/connect-events';
import type { FakeApi } from './fake-api';
import { makeStore, renderWithStore } from './test-utils';

/** Starts a store on `api` (init, the host's events connected) and renders the toolbar, the team dialog and `more`. */
export async function renderTeamUi(api: FakeApi, more?: ReactNode): Promise<AppStore> {
  const store = makeStore(api, { debounceMs: 0 });
  await store.getState().init();
  connectEvents(store, api);
  renderWithStore(
    <>
      <Toolbar onHelp={() => undefined} />
      <TeamDialog />
      {more}
    </>,
    store,
  );
  return store;
}
