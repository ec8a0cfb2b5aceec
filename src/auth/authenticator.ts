import type { Store } from '../store/store.js';
import type { SessionEndReason } from '../domain/deps.js';
import type { Display, User } from '../domain/types.js';
import { DISPLAY_TOKEN_PREFIX, hashDisplayToken, type TokenClaims, type TokenIssuer } from './tokens.js';

/** `expiresAtMs`: when the user's token expires (null: it carries no expiry). */
export type AuthResult = { kind: 'user'; user: User; expiresAtMs: number | null } | { kind: 'display'; display: Display };

const TOUCH_EVERY_MS = 60_000;

/**
 * Turns a bearer token into the caller. A user token is good only while the user is active and
 * its token version matches (password, role or activation changes bump it). Shared by HTTP
 * (through passport-jwt) and the socket.io handshake so both channels apply the same rules.
 */
export class Authenticator {
  private readonly lastTouch = new Map<string, number>();
  constructor(private readonly store: Store, readonly issuer: TokenIssuer) {}

  async userFromClaims(claims: TokenClaims): Promise<User | null> {
    const user = await this.store.getUser(claims.sub);
    if (!user || !user.active || user.tokenVersion !== claims.tv) return null;
    return user;
  }

  async display(token: string): Promise<Display | null> {
    if (!token.startsWith(DISPLAY_TOKEN_PREFIX) || token.length > 200) return null;
    const display = await this.store.getDisplayByTokenHash(hashDisplayToken(token));
    if (!display || display.revokedAt) return null;
    const now = Date.now();
    if ((this.lastTouch.get(display.id) ?? 0) < now - TOUCH_EVERY_MS) {
      this.lastTouch.set(display.id, now);
      await this.store.touchDisplay(display.id, new Date(now).toISOString());
    }
    return display;
  }

  /**
   * Reads again whether a credential accepted earlier still holds: null if it does, otherwise why
   * not. A live connection asks once its rooms are joined, since an order cutting it could have
   * been applied between the handshake's read and then, and missed it (a display's team change
   * too: PATCH /displays/:id cuts its connections so they reconnect in the new team). A logout bumps the token
   * version alone; deactivation and role or password changes change the user as well.
   */
  async withdrawn(who: AuthResult): Promise<'display_revoked' | 'display_changed' | SessionEndReason | null> {
    if (who.kind === 'display') {
      const display = await this.store.getDisplay(who.display.id);
      if (!display || display.revokedAt) return 'display_revoked';
      // Re-pointed at another team since the handshake read it: the connection's rooms would be the old team's.
      return display.team === who.display.team ? null : 'display_changed';
    }
    const was = who.user;
    const user = await this.store.getUser(was.id);
    if (user?.active && user.tokenVersion === was.tokenVersion) return null;
    if (user?.active && user.role === was.role && user.passwordHash === was.passwordHash) return 'signed_out';
    return 'credentials_changed';
  }

  async fromToken(token: string): Promise<AuthResult | null> {
    if (token.startsWith(DISPLAY_TOKEN_PREFIX)) {
      const display = await this.display(token);
      return display ? { kind: 'display', display } : null;
    }
    const claims = this.issuer.verify(token);
    if (!claims) return null;
    const user = await this.userFromClaims(claims);
    return user ? { kind: 'user', user, expiresAtMs: claims.exp === undefined ? null : claims.exp * 1000 } : null;
  }
}
