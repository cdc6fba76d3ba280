/** Strings of the team index (issue 15): the connect dialog, the header's state, and why import is off. */
import type { Language } from './i18n';
import type { TeamInputProblem } from './lib/team-url';

const en = {
  connect: 'Team index…',
  connectTitle: 'Connect to a team index',
  openArchiveFirst: 'Open an archive first: a team index is read for the archive open in this window.',
  connectIntro:
    'Read this archive from the team’s index on PostgreSQL instead of this computer’s own. The team’s indexer keeps it up to date; changes appear here by themselves.',
  url: 'Address',
  urlHint: 'postgres://USER@HOST:PORT/DB',
  schema: 'Schema',
  password: 'Password',
  passwordHintRemembered: 'Leave empty to use the password remembered for this address.',
  remember: 'Remember the password on this computer',
  rememberKeychain: 'Kept encrypted by the system’s keychain, never as plain text.',
  rememberUnavailable: 'This system offers no protected keychain, so the password cannot be remembered: you will type it each time.',
  sessionOnly: 'The password is held in the server’s memory for this session only; it is never written to disk.',
  connectButton: 'Connect',
  connecting: 'Connecting…',
  disconnect: 'Disconnect',
  disconnecting: 'Disconnecting…',
  connectedTo: (label: string) => `Connected to ${label}.`,
  badge: 'Team index',
  badgeTitle: (location: string) => `Reading from the team index ${location}`,
  readOnly: 'read-only team index',
  readOnlyNote: 'Your role may only read: you can browse and search, but not import or index.',
  importReadOnly: 'Import is off: this app never writes a team index, and your role may only read it. New posts reach it through the team’s indexer: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
  /** After "Import failed: ". */
  importRefused: 'this app never writes a team index, and your role may only read it. New posts reach it through the team’s indexer: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
  importTeam:
    'Import is off while a team index is read: this app never writes it. Import on the indexer machine: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
  /** After "Import failed: ". */
  importTeamRefused:
    'this app never writes a team index. Import on the indexer machine: cli import SOURCE… --into ARCHIVE, then cli index ARCHIVE --store URL.',
  /** While the remembered team index is being connected again (the host refuses too: BUSY). */
  importReconnecting:
    'Import waits while the team index is being reconnected: once connected, this archive is read from the team index, which would not list the posts imported here. Import once it has connected or failed, or choose “Stop using it”.',
  /** After "Import failed: ". */
  importReconnectingRefused:
    'the team index is being reconnected, and once connected this archive is read from it, which would not list the posts imported here. Import once it has connected or failed, or choose “Stop using it”.',
  problems: {
    'url-empty': 'Type the address of the team index: postgres://USER@HOST:PORT/DB.',
    'url-scheme': 'The address must start with postgres:// (as in postgres://USER@HOST:PORT/DB).',
    'url-malformed': 'This is not an address of the form postgres://USER@HOST:PORT/DB.',
    'url-user': 'The address needs a user name before the @: postgres://USER@HOST:PORT/DB.',
    'url-host': 'The address needs a server name after the @: postgres://USER@HOST:PORT/DB.',
    'url-port': 'The port must be a number from 1 to 65535.',
    'url-database': 'The address must end with the database’s name: …/DB.',
    'url-password': 'Leave the password out of the address and type it in the password field.',
    schema: 'A schema name is lower-case letters, digits and _, starting with a letter or _ (for example backfile).',
  } satisfies Record<TeamInputProblem, string>,
  unavailable: 'The team index cannot be reached: the server may be down or unreachable, the user name or password may be wrong, or the schema may hold no Backfile index.',
  refusedReadOnly: 'This team index is read-only for your role.',
  invalid: 'The server did not accept this address or schema.',
  failed: 'Connecting failed.',
  detail: (text: string) => `Server said: ${text}`,
  // Reopening an archive last read from a team index (remembered per archive; Disconnect forgets it).
  reconnectTitle: (label: string) => `Reconnect to the team index at ${label}?`,
  reconnectIntro:
    'This archive was last read from this team index. Type its password to read it again; until then, and if you close this, the archive is read from this computer’s own index.',
  reconnecting: (label: string) => `Reconnecting to the team index at ${label}…`,
  reconnectPassword: (label: string) => `This archive was last read from the team index at ${label}, which needs its password. Reading this computer’s index meanwhile.`,
  reconnectFailed: (label: string) => `The team index at ${label} did not answer or refused the connection, so this archive is read from this computer’s own index.`,
  reconnectOpen: 'Connect…',
  retry: 'Retry',
  retrying: 'Retrying…',
  forgetTeam: 'Stop using it',
  forgetTeamTitle: 'Read this archive from this computer’s index from now on (it is no longer reconnected when opened)',
};

const zh: typeof en = {
  connect: '团队索引…',
  connectTitle: '连接团队索引',
  openArchiveFirst: '请先打开一个存档：团队索引是为本窗口中打开的存档读取的。',
  connectIntro: '从团队在 PostgreSQL 上的索引读取此存档，而不是本机的索引。索引由团队的索引程序保持更新，变化会自动显示在这里。',
  url: '地址',
  urlHint: 'postgres://用户@主机:端口/数据库',
  schema: '模式（schema）',
  password: '密码',
  passwordHintRemembered: '留空即使用为此地址记住的密码。',
  remember: '在这台电脑上记住密码',
  rememberKeychain: '由系统钥匙串加密保存，绝不以明文保存。',
  rememberUnavailable: '此系统没有受保护的钥匙串，因此无法记住密码：每次都需要输入。',
  sessionOnly: '密码只在本次会话中保存在服务器的内存里，绝不写入磁盘。',
  connectButton: '连接',
  connecting: '正在连接…',
  disconnect: '断开连接',
  disconnecting: '正在断开…',
  connectedTo: (label) => `已连接到 ${label}。`,
  badge: '团队索引',
  badgeTitle: (location) => `正在从团队索引 ${location} 读取`,
  readOnly: '只读团队索引',
  readOnlyNote: '你的角色只能读取：可以浏览和搜索，但不能导入或建立索引。',
  importReadOnly: '导入已停用：本应用从不写入团队索引，且你的角色只能读取。新文章由团队的索引程序加入：cli import 源… --into 存档，然后 cli index 存档 --store URL。',
  importRefused: '本应用从不写入团队索引，且你的角色只能读取。新文章由团队的索引程序加入：cli import 源… --into 存档，然后 cli index 存档 --store URL。',
  importTeam: '读取团队索引时导入已停用：本应用从不写入团队索引。请在索引机器上导入：cli import 源… --into 存档，然后 cli index 存档 --store URL。',
  importTeamRefused: '本应用从不写入团队索引。请在索引机器上导入：cli import 源… --into 存档，然后 cli index 存档 --store URL。',
  importReconnecting:
    '正在重新连接团队索引，导入暂停：连接后此存档从团队索引读取，而团队索引里没有在这里导入的文章。请等连接成功或失败后再导入，或选择“不再使用”。',
  importReconnectingRefused: '正在重新连接团队索引，连接后此存档从团队索引读取，而团队索引里没有在这里导入的文章。请等连接成功或失败后再导入，或选择“不再使用”。',
  problems: {
    'url-empty': '请输入团队索引的地址：postgres://用户@主机:端口/数据库。',
    'url-scheme': '地址必须以 postgres:// 开头（例如 postgres://用户@主机:端口/数据库）。',
    'url-malformed': '这不是 postgres://用户@主机:端口/数据库 形式的地址。',
    'url-user': '地址在 @ 之前需要用户名：postgres://用户@主机:端口/数据库。',
    'url-host': '地址在 @ 之后需要服务器名：postgres://用户@主机:端口/数据库。',
    'url-port': '端口必须是 1 到 65535 之间的数字。',
    'url-database': '地址必须以数据库名称结尾：…/数据库。',
    'url-password': '请不要把密码写在地址里，而是填在密码栏中。',
    schema: '模式名称由小写字母、数字和 _ 组成，以字母或 _ 开头（例如 backfile）。',
  },
  unavailable: '无法连接团队索引：服务器可能已关闭或无法访问，用户名或密码可能有误，或该模式中没有 Backfile 索引。',
  refusedReadOnly: '对你的角色而言，此团队索引是只读的。',
  invalid: '服务器不接受此地址或模式。',
  failed: '连接失败。',
  detail: (text) => `服务器说明：${text}`,
  reconnectTitle: (label) => `重新连接到 ${label} 的团队索引？`,
  reconnectIntro: '此存档上次是从这个团队索引读取的。输入密码即可再次从它读取；在此之前（或关闭此窗口后），存档从本机自己的索引读取。',
  reconnecting: (label) => `正在重新连接到 ${label} 的团队索引…`,
  reconnectPassword: (label) => `此存档上次是从 ${label} 的团队索引读取的，需要输入密码。在此期间从本机的索引读取。`,
  reconnectFailed: (label) => `${label} 的团队索引没有响应或拒绝了连接，因此此存档从本机自己的索引读取。`,
  reconnectOpen: '连接…',
  retry: '重试',
  retrying: '正在重试…',
  forgetTeam: '不再使用',
  forgetTeamTitle: '从现在起从本机的索引读取此存档（打开时不再重新连接）',
};

export type TeamMessages = typeof en;
export const TEAM_MESSAGES: Record<Language, TeamMessages> = { en, zh };
