import { Router } from 'express';
import type { AppContext } from '../context.js';

/** Periods, scores, reports and rules: wired once the scoring domain lands. */
export function periodRoutes(_ctx: AppContext): Router {
  return Router();
}
