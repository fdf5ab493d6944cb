import type { Readable } from 'node:stream';

/** What came of reading a push request's body. */
export type PushBodyRead =
  | { kind: 'body'; bytes: Buffer }
  /** Larger than the limit: read to its end (or the deadline) and dropped. */
  | { kind: 'too-large' }
  /** Not complete by the deadline. */
  | { kind: 'incomplete' }
  /** The client went away: there is nobody to answer. */
  | { kind: 'aborted' };

/**
 * Reads a request body of at most `limit` bytes before `deadline`. A larger body is still read to
 * its end, without keeping it, so its sender gets the 413 answer instead of a reset connection;
 * the deadline bounds that too.
 */
export function readPushBody(stream: Readable, limit: number, deadline: Promise<void>): Promise<PushBodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let finished = false;
    const finish = (result: PushBodyRead) => {
      if (finished) return;
      finished = true;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onAborted);
      stream.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      size += bytes.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(bytes);
    };
    const onEnd = () => finish(tooLarge ? { kind: 'too-large' } : { kind: 'body', bytes: Buffer.concat(chunks, size) });
    const onAborted = () => finish({ kind: 'aborted' });
    const onClose = () => {
      if (!stream.readableEnded) onAborted();
    };
    // Read by someone else already (nothing of it is left to read): an empty body.
    if (stream.readableEnded) return finish({ kind: 'body', bytes: Buffer.alloc(0) });
    void deadline.then(() => finish(tooLarge ? { kind: 'too-large' } : { kind: 'incomplete' }));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onAborted);
    stream.on('close', onClose);
  });
}
