/**
 * Team-index passwords the reader asked the desktop app to remember. They are kept only encrypted by the OS
 * (Electron's safeStorage: Keychain, DPAPI, libsecret/kwallet), as base64 in one small JSON file in the app's
 * data folder beside the other settings; never in plain text. Where the OS offers no protection, nothing is
 * stored and the dialog says so.
 *
 * No Electron here: the encryption comes in as a `PasswordCipher` (`safeStorageCipher` in main), so the file logic is
 * tested with real node:crypto functions.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { redactUrl } from '../node/pg/pg-connection';

export interface PasswordCipher {
  /** Whether this machine can encrypt with a key only this user can reach (false: store nothing). */
  available(): boolean;
  encrypt(plain: string): Buffer;
  /** Throws when the bytes were not made by `encrypt` with this user's key. */
  decrypt(encrypted: Buffer): string;
}

/** The parts of Electron's safeStorage used here (electron.d.ts `SafeStorage`). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * safeStorage as a PasswordCipher. On Linux without a secret store Electron falls back to `basic_text`, a
 * hard-coded key: that is plain text with extra steps, so it counts as unavailable.
 */
export function safeStorageCipher(safe: SafeStorageLike, platform: NodeJS.Platform = process.platform): PasswordCipher {
  return {
    available: () => safe.isEncryptionAvailable() && !(platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text'),
    encrypt: (plain) => safe.encryptString(plain),
    decrypt: (encrypted) => safe.decryptString(encrypted),
  };
}

interface CredentialFile {
  version: 1;
  /** Connection key → the encrypted password, base64. */
  passwords: Record<string, string>;
}

/**
 * One remembered password per team index: the URL as IndexInfo.location shows it (redactUrl: no password, options
 * such as `?sslmode=require` kept) and the schema. The same key from a typed address and from a location.
 */
export function connectionKey(url: string, schema = 'backfile'): string {
  const bare = url.trim();
  const redacted = redactUrl(bare);
  // Not a URL: the service refuses it anyway; the key is only a name.
  return `${redacted === 'postgres://…' ? bare : redacted}#${schema}`;
}

export class TeamCredentials {
  constructor(
    private readonly file: string,
    private readonly cipher: PasswordCipher,
  ) {}

  /** Whether a password can be remembered on this machine. */
  canRemember(): boolean {
    return this.cipher.available();
  }

  /** Encrypts and keeps the password; `false` (and nothing written) when the OS cannot protect it. */
  async remember(key: string, password: string): Promise<boolean> {
    if (!this.cipher.available()) return false;
    const data = await this.read();
    data.passwords[key] = this.cipher.encrypt(password).toString('base64');
    await this.write(data);
    return true;
  }

  /** The remembered password, or `null` (none, unreadable file, or not decryptable by this user any more). */
  async recall(key: string): Promise<string | null> {
    const stored = (await this.read()).passwords[key];
    if (!stored || !this.cipher.available()) return null;
    try {
      return this.cipher.decrypt(Buffer.from(stored, 'base64'));
    } catch {
      return null;
    }
  }

  async has(key: string): Promise<boolean> {
    return Object.hasOwn((await this.read()).passwords, key);
  }

  /** The keys a password is remembered for (no secrets in them). */
  async keys(): Promise<string[]> {
    return Object.keys((await this.read()).passwords);
  }

  async forget(key: string): Promise<void> {
    const data = await this.read();
    if (!Object.hasOwn(data.passwords, key)) return;
    delete data.passwords[key];
    await this.write(data);
  }

  private async read(): Promise<CredentialFile> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<CredentialFile>;
      const passwords: Record<string, string> = {};
      if (parsed && parsed.version === 1 && parsed.passwords && typeof parsed.passwords === 'object') {
        for (const [key, value] of Object.entries(parsed.passwords)) if (typeof value === 'string') passwords[key] = value;
      }
      return { version: 1, passwords };
    } catch {
      return { version: 1, passwords: {} }; // missing or damaged: nothing remembered
    }
  }

  /** A temporary file renamed into place, readable by this user only. */
  private async write(data: CredentialFile): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temp, JSON.stringify(data, null, 2), { mode: 0o600 });
    await fs.rename(temp, this.file);
  }
}
