import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeText } from '../core/decode';
import { DEFAULT_SITE_CONFIG, SITE_CONFIG_FILE, parseSiteConfig, type SiteConfig } from '../core/site-config';
import type { Problem } from '../shared/archive-api';
import { describeError } from './fs-safety';

/** A `_config.yml` larger than this is not read (the front matter's YAML limit is 64 KiB of it). */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface SiteConfigRead {
  config: SiteConfig;
  /** What is wrong with `_config.yml` (path `_config.yml`); the archive opens with the defaults whatever it is. */
  problems: Problem[];
}

/** The archive's `_config.yml` (absent: the defaults, no problem). Never throws. */
export async function readSiteConfig(root: string): Promise<SiteConfigRead> {
  const file = path.join(root, SITE_CONFIG_FILE);
  const problem = (message: string): Problem => ({ path: SITE_CONFIG_FILE, message, severity: 'error' });
  let bytes: Buffer;
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile()) return { config: { ...DEFAULT_SITE_CONFIG }, problems: stat.isSymbolicLink() ? [problem('is a symbolic link; not read')] : [] };
    if (stat.size > MAX_CONFIG_BYTES) return { config: { ...DEFAULT_SITE_CONFIG }, problems: [problem('is larger than 1 MiB; not read')] };
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { config: { ...DEFAULT_SITE_CONFIG }, problems: [] };
    return { config: { ...DEFAULT_SITE_CONFIG }, problems: [problem(`could not be read: ${describeError(error)}`)] };
  }
  const decoded = decodeText(bytes);
  if (decoded.uncertain) return { config: { ...DEFAULT_SITE_CONFIG }, problems: [problem(decoded.problem ?? 'encoding uncertain; not read')] };
  const parsed = parseSiteConfig(decoded.text);
  return { config: parsed.config, problems: parsed.problems.map(problem) };
}
