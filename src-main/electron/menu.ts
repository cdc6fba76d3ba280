import { dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { MENU_CHANNEL, type ArchiveApi, type MenuCommand } from '../shared/archive-api';
import type { RecentArchives } from '../node/recent-archives';
import { RECONNECT_IMPORT_REFUSED } from '../node/archive/archive-service';

interface MenuContext {
  window: BrowserWindow;
  api: ArchiveApi;
  recent: RecentArchives;
  isDev: boolean;
}

/** File › Open Archive…, Import…, Export…, Connect to a Team Index…, Quit; View with zoom; developer tools only in development. */
export function buildMenu({ window, api, isDev }: MenuContext): Menu {
  const report = (error: unknown) => dialog.showErrorBox('Backfile', error instanceof Error ? error.message : String(error));
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Archive…', accelerator: 'CmdOrCtrl+O', click: () => void api.chooseAndOpenArchive().catch(report) },
        {
          label: 'Import…',
          accelerator: 'CmdOrCtrl+I',
          click: async () => {
            // A team index refuses imports (the app never writes it): say so before the reader picks anything.
            const index = await api.getIndexInfo().catch(() => null);
            if (index?.kind === 'postgres') {
              dialog.showErrorBox(
                'Backfile',
                index.readOnly
                  ? 'Import is off: this app never writes a team index, and your role may only read it. New posts reach it through the team’s indexer: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.'
                  : 'Import is off while a team index is read: this app never writes it. Import on the indexer machine: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
              );
              return;
            }
            // The remembered team index is being connected again: the service refuses (BUSY); say why first.
            if (index?.reconnect?.state === 'connecting') {
              dialog.showErrorBox('Backfile', RECONNECT_IMPORT_REFUSED);
              return;
            }
            const result = await dialog.showOpenDialog(window, {
              title: 'Import posts',
              properties: ['openDirectory', 'openFile', 'multiSelections'],
            });
            if (!result.canceled && result.filePaths.length) await api.importPaths(result.filePaths).catch(report);
          },
        },
        {
          // The page knows the current result and the checked rows: it opens its export dialog, which then calls
          // exportToFile (and main shows the save dialog).
          label: 'Export…',
          accelerator: 'CmdOrCtrl+E',
          click: () => window.webContents.send(MENU_CHANNEL, 'export' satisfies MenuCommand),
        },
        {
          // The page's connect dialog (it shows where the errors are); main keeps the password (team-passwords.ts).
          label: 'Connect to a Team Index…',
          click: () => window.webContents.send(MENU_CHANNEL, 'connectTeamIndex' satisfies MenuCommand),
        },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(isDev ? [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
