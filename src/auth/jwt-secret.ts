import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomSecret } from '../domain/ids.js';

/**
 * In development JWT_SECRET may be unset: generate one once and keep it in the data dir, so
 * restarts keep everyone's sessions. Production requires JWT_SECRET (checked by loadConfig).
 */
export function resolveJwtSecret(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // as the store makes it (create-store.ts)
  const secret = randomSecret(48);
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}
