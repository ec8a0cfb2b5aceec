import type { Request, RequestHandler } from 'express';
import { Passport } from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import type { Authenticator } from '../auth/authenticator.js';
import { VerifiedTokens } from '../auth/verified-tokens.js';
import { DISPLAY_TOKEN_PREFIX, JWT_AUDIENCE, JWT_ISSUER, hmacKey } from '../auth/tokens.js';
import { UnauthorizedError } from '../domain/errors.js';
import type { User } from '../domain/types.js';

const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Sets req.principal when a valid credential is present; routes decide whether one is needed.
 * User tokens go through passport-jwt (HS256 only, issuer and audience checked) the first time a
 * process sees them, and are then recognised from `verified` until they expire; the user behind
 * them is loaded on every request. Display tokens are opaque and looked up by hash. A credential
 * that is present but bad is always a 401.
 */
export function authenticate(auth: Authenticator, secret: string, verified = new VerifiedTokens()): RequestHandler {
  const passport = new Passport();
  const key = hmacKey(secret);
  passport.use(
    new JwtStrategy(
      {
        jwtFromRequest: bearer,
        // jsonwebtoken takes a KeyObject; passport-jwt's types only admit string | Buffer.
        secretOrKeyProvider: (_req: unknown, _raw: unknown, done: (err: unknown, key?: string | Buffer) => void) => done(null, key as unknown as Buffer),
        issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithms: ['HS256'], passReqToCallback: true },
      (req: Request, payload: { sub?: unknown; tv?: unknown; exp?: unknown }, done: (err: unknown, user?: User | false) => void) => {
        if (typeof payload.sub !== 'string' || typeof payload.tv !== 'number') return done(null, false);
        const claims = { sub: payload.sub, tv: payload.tv };
        const token = bearer(req);
        if (token && typeof payload.exp === 'number') verified.remember(token, claims, payload.exp);
        auth.userFromClaims(claims).then((u) => done(null, u ?? false), done);
      },
    ),
  );
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) return next();
    const token = bearer(req);
    if (!token) return next(new UnauthorizedError('Use an "Authorization: Bearer <token>" header.', 'invalid_token'));
    if (token.startsWith(DISPLAY_TOKEN_PREFIX)) {
      auth.display(token).then((display) => {
        if (!display) return next(new UnauthorizedError('This display token is not valid.', 'invalid_token'));
        req.principal = { kind: 'display', display };
        next();
      }, next);
      return;
    }
    const onResult = (err: unknown, user: User | false | undefined) => {
      if (err) return next(err);
      if (!user) return next(new UnauthorizedError('The token is invalid or has expired.', 'invalid_token'));
      req.principal = { kind: 'user', user };
      next();
    };
    const claims = verified.get(token);
    if (claims) {
      auth.userFromClaims(claims).then((user) => onResult(null, user ?? false), next);
      return;
    }
    (passport.authenticate('jwt', { session: false }, onResult) as RequestHandler)(req, res, next);
  };
}
