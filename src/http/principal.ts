import type { Display, Role, User } from '../domain/types.js';

/** Who is calling: a signed-in user or an office display. Set by the authenticate middleware. */
export type Principal = { kind: 'user'; user: User } | { kind: 'display'; display: Display };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export type Access = 'public' | 'user' | 'display-or-user' | readonly Role[];
