import type { EmulatedMalformedPushKind, EmulatedMalformedPushOptions, EmulatedPushType } from './emulated-push.types.js';

// Bodies no receipt push from Alibaba would carry, for testing that a receiver refuses them
// without losing anything else.

/** Default smallest size of an `oversized` body: above the usual JSON body limits (Express 100 KB, Fastify 1 MiB). */
export const DEFAULT_OVERSIZED_BYTES = 2 * 1024 * 1024;

/** A well-formed receipt of the type, numbered so every copy differs. */
function sampleItem(type: EmulatedPushType, n: number): Record<string, unknown> {
  return type === 'SmsReport'
    ? {
        phone_number: '13800000000',
        send_time: '2024-06-01 12:00:00',
        report_time: '2024-06-01 12:00:03',
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: `${900000000000000 + n}^0`,
        out_id: `oversized-${n}`,
      }
    : { phone_number: '13800000000', send_time: '2024-06-01 12:00:00', content: `oversized ${n}`, dest_code: '1234', sequence_id: n };
}

/** An item whose field names are right and whose JSON types are all wrong. */
function wronglyTypedItem(type: EmulatedPushType): Record<string, unknown> {
  return type === 'SmsReport'
    ? { phone_number: 13800000000, send_time: 20240601120000, report_time: null, success: 'true', err_code: 0, err_msg: [], sms_size: 1, biz_id: 42, out_id: {} }
    : { phone_number: 13800000000, send_time: null, content: 42, dest_code: 1234, sequence_id: { id: 1 } };
}

/** The body of a malformed push of this kind. */
export function malformedPushBody(type: EmulatedPushType, kind: EmulatedMalformedPushKind, options: EmulatedMalformedPushOptions = {}): string {
  switch (kind) {
    case 'not-json':
      return 'phone_number=13800000000&success=true';
    case 'not-array':
      return JSON.stringify(sampleItem(type, 0));
    case 'bad-items':
      return JSON.stringify([null, 42, 'SmsReport', {}, wronglyTypedItem(type), ...(options.alongside ?? [])]);
    case 'oversized': {
      const sizeBytes = options.sizeBytes ?? DEFAULT_OVERSIZED_BYTES;
      if (!Number.isInteger(sizeBytes) || sizeBytes < 1) throw new RangeError(`sizeBytes must be a positive integer, got ${sizeBytes}`);
      const items: string[] = [];
      let size = 2;
      for (let n = 1; size <= sizeBytes; n++) {
        const item = JSON.stringify(sampleItem(type, n));
        items.push(item);
        size += Buffer.byteLength(item, 'utf8') + 1;
      }
      return `[${items.join(',')}]`;
    }
    default:
      throw new TypeError(`Unknown malformed push kind "${String(kind)}"; use not-json, not-array, bad-items or oversized.`);
  }
}
