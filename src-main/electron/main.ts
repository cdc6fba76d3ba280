/**
 * The Electron main process: one window, the archive service, IPC, protocols, menu, and the security rules of
 * Electron's checklist (docs/SECURITY.md). Everything it serves goes through the same contract as browser mode.
 */
import { app, BrowserWindow, dialog, Menu, safeStorage, session, shell } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArchiveService } from '../node/archive/archive-service';
import { createArchiveApi, isWebUrl } from '../node/archive/create-archive-api';
import { exportDialogOptions } from './export-dialog';
import { RecentArchives } from '../node/recent-archives';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { APP_ORIGIN, handleProtocols, registerSchemes } from './protocols';
import { useElectronSqliteBinding } from './native-binding';
import { RememberedTeams } from '../node/archive/remembered-teams';
import { connectionKey, safeStorageCipher, TeamCredentials } from './team-credentials';
import { withTeamPasswords } from './team-passwords';

const here = path.dirname(fileURLToPath(import.meta.url));
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererDir = path.join(here, '../renderer');
const preloadFile = path.join(here, '../preload/index.cjs');

registerSchemes();
app.enableSandbox();
useElectronSqliteBinding(app.isPackaged, app.getAppPath());

/** The bundled sample archive, opened on first start. */
function sampleArchive(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'posts') : path.join(app.getAppPath(), 'posts');
}

const isTrustedUrl = (url: string) => url.startsWith(`${APP_ORIGIN}/`) || (devServerUrl !== undefined && url.startsWith(devServerUrl));

/** Remote URLs the reader allowed for the article on screen; every other remote request is cancelled. */
let allowedRemote = new Set<string>();

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    const fromDevServer = devServerUrl !== undefined && details.url.startsWith(devServerUrl);
    callback({ cancel: !fromDevServer && !allowedRemote.has(details.url) });
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

async function createWindow(): Promise<void> {
  const recent = new RecentArchives(path.join(app.getPath('userData'), 'recent-archives.json'));
  // Team-index passwords only ever through safeStorage, in a file beside the recent archives (never plain text).
  const credentials = new TeamCredentials(path.join(app.getPath('userData'), 'team-credentials.json'), safeStorageCipher(safeStorage));
  const service = new ArchiveService({
    watch: true,
    capabilities: { showInFolder: true, chooseFolder: true, importPaths: true, importFiles: false },
    // Each archive's last team index (no password), connected again when the archive is opened again.
    rememberedTeams: new RememberedTeams(path.join(app.getPath('userData'), 'team-connections.json')),
    teamPassword: (url, schema) => credentials.recall(connectionKey(url, schema)),
  });
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Backfile',
    icon: path.join(app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources'), 'icon.png'),
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  const chooseFolder = async () => {
    const result = await dialog.showOpenDialog(window, { title: 'Open Archive', properties: ['openDirectory'] });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  const serviceApi = createArchiveApi(service, {
    allowedRoots: null,
    recent,
    chooseFolder,
    showItemInFolder: (absPath) => shell.showItemInFolder(absPath),
    openExternalUrl: async (url) => {
      if (isWebUrl(url)) await shell.openExternal(url);
    },
    allowRemoteUrls: (urls) => {
      allowedRemote = new Set(urls);
    },
    chooseExportTarget: async (format, name) => {
      const result = await dialog.showSaveDialog(window, exportDialogOptions(format, name, app.getPath('documents')));
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  });
  const api = withTeamPasswords(serviceApi, credentials);
  handleProtocols(rendererDir, service);
  const unregister = registerIpc(api, service, window, isTrustedUrl);
  Menu.setApplicationMenu(buildMenu({ window, api, recent, isDev: !app.isPackaged }));
  window.on('closed', () => {
    unregister();
    void service.close();
  });
  window.once('ready-to-show', () => window.show());

  // Reopen the last archive; on first start, the bundled sample.
  const last = (await recent.list()).find((r) => fs.existsSync(r.root));
  await api.openArchive(last?.root ?? sampleArchive()).catch((error: unknown) => {
    dialog.showErrorBox('Backfile', `The archive could not be opened: ${error instanceof Error ? error.message : String(error)}`);
  });
  await (devServerUrl ? window.loadURL(devServerUrl) : window.loadURL(`${APP_ORIGIN}/index.html`));
}

app.whenReady().then(async () => {
  hardenSession();
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
