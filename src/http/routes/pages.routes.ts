import { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const PAGES: Record<string, string> = {
  '/': 'index.html',
  '/login': 'login.html',
  '/people/:id': 'profile.html',
  '/scores': 'scores.html',
  '/hr': 'hr.html',
  '/display': 'display.html',
  '/api-docs': 'api-docs.html',
};

/** The HTML shells; each loads its bundle, which talks to the API. */
export function pageRoutes(publicRoot: string): Router {
  const r = Router();
  for (const [path, file] of Object.entries(PAGES)) {
    r.get(path, (_req, res, next) => {
      const full = join(publicRoot, file);
      if (!existsSync(full)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(full);
    });
  }
  return r;
}
