import express, { type RequestHandler } from 'express';
import type { IncomingHttpHeaders } from 'node:http';

/** What body-parser calls an unparseable body; error-handler.ts maps it with the rest of body-parser's errors. */
const parseFailed = (message: string) => Object.assign(new SyntaxError(message), { status: 400, type: 'entity.parse.failed' });
const aborted = () => Object.assign(new Error('request aborted'), { status: 400, type: 'request.aborted' });
const sizeMismatch = () => Object.assign(new Error('request size did not match content length'), { status: 400, type: 'request.size.invalid' });

const PLAIN_JSON = /^application\/json(?:;\s*charset="?utf-8"?)?$/i;
const LENGTH = /^\d{1,10}$/;
/** The first character after JSON's whitespace, as body-parser finds it. */
const FIRST_SIGNIFICANT = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d])/;

/**
 * express.json({ limit, strict: true, type: 'application/json' }), with the bodies nearly
 * every client sends read directly: a Content-Length of at most `limit` bytes, declared as
 * application/json in UTF-8 (or without a charset), not compressed. body-parser, raw-body and
 * type-is took about 6 % of the event loop's profile samples per post (2 % of its instructions
 * under callgrind), mostly for work these bodies do not need (charset tables, decompression
 * set-up, five listeners and a finished-callback).
 * Every other request (chunked, compressed, another charset, over the limit) goes to
 * express.json and gets exactly its answer. Both leave `req.body` undefined without a body, `{}`
 * for an empty one, and refuse a body that is not an object or array.
 */
export function jsonBody(limit: number): RequestHandler {
  const general = express.json({ limit, strict: true, type: 'application/json' });
  return (req, res, next) => {
    const h = req.headers;
    if (h['transfer-encoding'] === undefined && h['content-length'] === undefined) {
      next();
      return;
    }
    const length = plainLength(h, limit);
    if (length < 0 || req.readableEnded) {
      general(req, res, next);
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      next(err);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () => {
      if (received !== length) return finish(sizeMismatch());
      try {
        req.body = parseStrict(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
      } catch (err) {
        return finish(err);
      }
      finish();
    };
    // 'close' before 'end', or an error: the client went away mid-body.
    const onGone = () => finish(aborted());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  };
}

/** application/json, in UTF-8 or without a charset: what type-is would call JSON, in one test. */
export function isPlainJson(contentType: string | undefined): boolean {
  return contentType !== undefined && PLAIN_JSON.test(contentType);
}

/** The declared length when the body can take the direct path, else -1. */
function plainLength(h: IncomingHttpHeaders, limit: number): number {
  const declared = h['content-length'];
  if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return -1;
  if (declared === undefined || !LENGTH.test(declared) || !isPlainJson(h['content-type'])) return -1;
  const length = Number(declared);
  return length <= limit ? length : -1;
}

/** As body-parser's strict JSON: empty is {}, anything but an object or array is refused. */
function parseStrict(body: Buffer): unknown {
  // Decoded as iconv-lite decodes UTF-8 for body-parser: invalid bytes become U+FFFD, a BOM is dropped.
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0) return {};
  const first = FIRST_SIGNIFICANT.exec(text)?.[1];
  if (first !== '{' && first !== '[') throw parseFailed(`Unexpected token ${first ?? 'end of input'} in JSON: a body must be an object or an array`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw parseFailed((err as Error).message);
  }
}
