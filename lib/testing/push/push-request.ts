import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';

// One push POST as Alibaba makes it (PROTOCOL.md §5.6): JSON, no signature, no credential, a
// fresh connection, and an answer that must be complete within the timeout.

/** Most answer text kept for the record. */
const MAX_RECORDED_ANSWER_BYTES = 16 * 1024;

/** What came of one POST. */
export interface PushAnswer {
  readonly durationMs: number;
  readonly status?: number;
  readonly body?: string;
  readonly timedOut: boolean;
  readonly error?: string;
}

/** What one POST sends. */
export interface PushPost {
  readonly url: URL;
  readonly body: Buffer;
  readonly contentType: string;
  readonly timeoutMs: number;
  /** Aborts the POST (the emulator is reset or closed). */
  readonly signal: AbortSignal;
}

/** Posts the body and waits for the whole answer, the timeout or a failure; never rejects. */
export function postPush(post: PushPost): Promise<PushAnswer> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    let req: ClientRequest | undefined;
    let response: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let kept = 0;
    let finished = false;
    const finish = (outcome: Omit<PushAnswer, 'durationMs' | 'timedOut'> & { timedOut?: boolean }) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      post.signal.removeEventListener('abort', onAbort);
      req?.destroy();
      resolve({ durationMs: performance.now() - startedAt, timedOut: false, ...outcome });
    };
    const answerSoFar = () => ({ status: response?.statusCode, body: response ? Buffer.concat(chunks).toString('utf8') : undefined });
    const onAbort = () => finish({ ...answerSoFar(), error: 'aborted' });
    const timer = setTimeout(() => finish({ ...answerSoFar(), timedOut: true }), post.timeoutMs);
    timer.unref();
    post.signal.addEventListener('abort', onAbort, { once: true });
    if (post.signal.aborted) return onAbort();

    try {
      const send = post.url.protocol === 'https:' ? httpsRequest : httpRequest;
      // NOTE: agent false: a new connection per request, as a keep-alive socket the receiver closes
      // meanwhile would fail a request for a reason that has nothing to do with the receiver.
      req = send(post.url, {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': post.contentType, 'Content-Length': post.body.length },
      });
    } catch (error) {
      return finish({ error: describe(error as Error) });
    }
    req.on('response', (res) => {
      response = res;
      res.on('data', (chunk: Buffer) => {
        if (kept >= MAX_RECORDED_ANSWER_BYTES) return;
        chunks.push(chunk.subarray(0, MAX_RECORDED_ANSWER_BYTES - kept));
        kept += chunk.length;
      });
      res.on('end', () => finish(answerSoFar()));
      res.on('error', (error) => finish({ ...answerSoFar(), error: describe(error) }));
    });
    // A receiver may answer (e.g. 413) and close before the whole body was written: the answer
    // counts, the write error that follows does not.
    req.on('error', (error) => (response?.complete ? finish(answerSoFar()) : finish({ ...answerSoFar(), error: describe(error) })));
    req.end(post.body);
  });
}

/** Alibaba's rule: only HTTP 200 with a JSON body whose `code` is the number 0 counts as received. */
export function countsAsReceived(answer: PushAnswer): boolean {
  if (answer.status !== 200 || answer.body === undefined || answer.timedOut || answer.error !== undefined) return false;
  try {
    const parsed: unknown = JSON.parse(answer.body);
    return typeof parsed === 'object' && parsed !== null && (parsed as { code?: unknown }).code === 0;
  } catch {
    return false;
  }
}

/** A failure's code (`ECONNREFUSED`) or message; neither carries the URL's path or query. */
function describe(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}
