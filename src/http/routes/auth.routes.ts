import { z } from 'zod';
import { verifyAgainstDummy, verifyPassword } from '../../auth/passwords.js';
import { UnauthorizedError } from '../../domain/errors.js';
import { signOut } from '../../domain/people.js';
import { loginBody } from '../../domain/schemas/people.schema.js';
import type { ApiRouter } from '../api-router.js';
import type { AppContext } from '../context.js';
import { presentUser } from '../presenters.js';
import { ipKey, sharedRateLimit } from '../rate-limit.js';
import { loginView } from '../response.schema.js';
import { defineRoute, userOf } from '../route.js';

export function authRoutes(ctx: AppContext, r: ApiRouter): void {
  const { store } = ctx.deps;
  const limits = ctx.config.loginRateLimit;
  const rateLimits = [
    sharedRateLimit({ store, name: 'login-ip', windowSeconds: limits.windowSeconds, max: limits.perIp, key: ipKey, failuresOnly: true }),
    sharedRateLimit({
      store,
      name: 'login-email',
      windowSeconds: limits.windowSeconds,
      max: limits.perEmail,
      failuresOnly: true,
      key: (req) => {
        const email: unknown = (req.body as { email?: unknown } | undefined)?.email;
        return typeof email === 'string' && email.length <= 254 ? email.trim().toLowerCase() : null;
      },
    }),
  ];
  defineRoute(r, { method: 'post', path: '/auth/login', summary: 'Sign in with email and password', tag: 'auth', access: 'public', body: loginBody, response: loginView }, async ({ body }) => {
    const user = await store.getUserByEmail(body.email);
    const ok = user?.passwordHash ? await verifyPassword(body.password, user.passwordHash) : await verifyAgainstDummy(body.password);
    // One answer for unknown email, wrong password and deactivated account: nothing to enumerate.
    if (!user || !ok || !user.active) throw new UnauthorizedError('Email or password is not correct.', 'invalid_credentials');
    const { token, expiresAt } = ctx.auth.issuer.issue(user);
    return { token, expiresAt, user: presentUser(user, user) };
  }, rateLimits);

  // No body (or `{}`) and no query: anything else is a request this route does not understand,
  // refused like every other malformed write rather than obeyed.
  defineRoute(r, { method: 'post', path: '/auth/logout', summary: 'Sign out: ends every session of this account, on every device', tag: 'auth', access: 'user', body: z.strictObject({}), query: z.strictObject({}), status: 204 }, async ({ principal }) => {
    await signOut(ctx.deps, userOf(principal));
  });
}
