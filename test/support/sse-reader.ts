// Reads a Server-Sent Events stream with fetch, for e2e tests of `@Sse()` endpoints.

/** One parsed SSE message. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** An open event stream: wait for a matching message, then close it. */
export interface SseReader {
  /** Resolves with the first message (seen so far or later) whose JSON data matches, rejecting after `timeoutMs`. */
  waitFor<T = any>(predicate: (data: T) => boolean, what: string, timeoutMs?: number): Promise<T>;
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

/** Opens `url` as an event stream; resolves once the response headers arrived. */
export async function openSse(url: string): Promise<SseReader> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
  const messages: SseMessage[] = [];
  const listeners = new Set<() => void>();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();

  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = parseFrame(frame);
          if (message) messages.push(message);
        }
        listeners.forEach((notify) => notify());
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  ended.catch(() => undefined);

  return {
    ended,
    close: () => controller.abort(),
    waitFor<T>(predicate: (data: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          for (const message of messages) {
            const data = JSON.parse(message.data) as T;
            if (predicate(data)) {
              finish();
              resolve(data);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`No event stream message for ${what} within ${timeoutMs} ms; got ${messages.map((m) => m.data).join('\n')}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

function parseFrame(frame: string): SseMessage | undefined {
  const message: SseMessage = { data: '' };
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue; // comment
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
  }
  if (data.length === 0) return undefined;
  message.data = data.join('\n');
  return message;
}
