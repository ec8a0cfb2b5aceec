import jwt from 'jsonwebtoken';
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import type { User } from '../domain/types.js';
import { DISPLAY_TOKEN_PREFIX } from './display-token-prefix.js';

export const JWT_ISSUER = 'shine';
export const JWT_AUDIENCE = 'shine-api';
export { DISPLAY_TOKEN_PREFIX };

export interface TokenClaims {
  sub: string;
  /** token version: must equal the user's current tokenVersion */
  tv: number;
  /** expiry, in seconds since the epoch (set by verify; live connections end then) */
  exp?: number;
}

export interface TokenIssuer {
  issue(user: User): { token: string; expiresAt: string };
  verify(token: string): TokenClaims | null;
}

/**
 * The HMAC key as a KeyObject: given a plain string, jsonwebtoken first tries (and fails) to parse
 * it as a public key on every verification, which was the biggest CPU cost of an API request.
 */
export function hmacKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** HS256 tokens with issuer, audience and expiry, all checked on verification. */
export function createTokenIssuer(secretText: string, ttlSeconds: number): TokenIssuer {
  const secret = hmacKey(secretText);
  return {
    issue(user) {
      const now = Math.floor(Date.now() / 1000);
      const token = jwt.sign({ tv: user.tokenVersion }, secret, {
        algorithm: 'HS256',
        subject: user.id,
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        expiresIn: ttlSeconds,
      });
      return { token, expiresAt: new Date((now + ttlSeconds) * 1000).toISOString() };
    },
    verify(token) {
      try {
        const payload = jwt.verify(token, secret, {
          algorithms: ['HS256'],
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
        });
        if (typeof payload !== 'object' || typeof payload.sub !== 'string') return null;
        const tv = (payload as { tv?: unknown }).tv;
        if (typeof tv !== 'number') return null;
        return typeof payload.exp === 'number' ? { sub: payload.sub, tv, exp: payload.exp } : { sub: payload.sub, tv };
      } catch {
        return null;
      }
    },
  };
}

export function hashDisplayToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
