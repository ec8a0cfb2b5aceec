import type { Duplex } from 'node:stream';

/** Node's parser rejections, answered in the contract's error shape instead of a bare status line. */
const ANSWERS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', code: 'headers_too_large', message: 'The request line or headers are too large.' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, reason: 'Payload Too Large', code: 'payload_too_large', message: 'The request body is too large.' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'request_timeout', message: 'The request took too long to arrive.' },
};
const MALFORMED = { status: 400, reason: 'Bad Request', code: 'malformed_request', message: 'The HTTP request could not be parsed.' };

/**
 * The server's 'clientError' listener. Requests Node cannot parse (oversized headers, broken
 * framing) never reach Express; without this they get an empty answer that clients cannot read.
 */
export function answerClientError(err: Error & { code?: string; rawPacket?: unknown }, socket: Duplex): void {
  // Mid-response (a later pipelined request broke) a raw answer would corrupt the stream.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const a = ANSWERS[err.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: { code: a.code, message: a.message, details: [] } });
  // An answer to HEAD has no body: a client reads one as garbage after the answer (an oversized
  // HEAD request gets here with its request line intact).
  const head = Buffer.isBuffer(err.rawPacket) && err.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${a.status} ${a.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`,
  );
}
