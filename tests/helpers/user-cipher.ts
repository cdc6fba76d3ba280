import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { PasswordCipher } from '../../src-main/electron/team-credentials';

const secret = createHash('sha256').update('this user').digest();

/** A real cipher, what safeStorage is to Electron's main process: AES-256-GCM under a key only "this user" has. */
export const userCipher: PasswordCipher = {
  available: () => true,
  encrypt(plain) {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', secret, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  },
  decrypt(data) {
    const d = createDecipheriv('aes-256-gcm', secret, data.subarray(0, 12));
    d.setAuthTag(data.subarray(12, 28));
    return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
  },
};
