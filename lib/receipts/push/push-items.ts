import { PushBodyError } from '../../errors/push-body.error.js';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import type { AlicomMessageType } from '../../options/alicom-sms-module-options.interface.js';
import { jsonTypeOf, receiptFromJson, type ReceiptJson } from '../receipt-json.js';

// One item of a push body → a typed receipt. The fields are read by receipt-json.ts, as for the
// queues; unknown fields (sign_name, template_code, message_id, request_id, ...) are ignored.

/** Where an item was pushed: the route's type (absent on a path for every type) and the types taken. */
export interface PushItemContext {
  index: number;
  routeType?: AlicomMessageType;
  types: readonly AlicomMessageType[];
  /** The item's own JSON text, when known (for a `sequence_id` beyond 2^53). */
  text?: () => string | undefined;
}

function isObject(value: unknown): value is ReceiptJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The type an item's fields show: a report has `biz_id` / `report_time`, a reply `content` /
 * `sequence_id`. `undefined` when it shows neither or both.
 */
export function pushItemType(item: unknown): AlicomMessageType | undefined {
  if (!isObject(item)) return undefined;
  const report = 'biz_id' in item || 'report_time' in item;
  const up = 'content' in item || 'sequence_id' in item;
  if (report === up) return undefined;
  return report ? 'SmsReport' : 'SmsUp';
}

function needsItemText(item: ReceiptJson): boolean {
  const sequenceId = item.sequence_id;
  return typeof sequenceId === 'number' && Number.isInteger(sequenceId) && !Number.isSafeInteger(sequenceId);
}

/**
 * The receipt an item holds.
 *
 * @throws PushBodyError when the item is not an object or its type cannot be told or is not taken;
 *   ReceiptDecodeError when a field of a receipt of a known type is missing or of the wrong type.
 */
export function receiptFromPushItem(item: unknown, ctx: PushItemContext): SmsReport | SmsUp {
  const shown = pushItemType(item);
  const type = ctx.routeType ?? shown;
  if (!isObject(item)) {
    throw new PushBodyError('item', `${jsonTypeOf(item)} is not a receipt (expected a JSON object)`, { index: ctx.index, type });
  }
  if (type === undefined) {
    throw new PushBodyError('item', 'its fields show neither an SmsReport (biz_id, report_time) nor an SmsUp (content, sequence_id)', { index: ctx.index });
  }
  if (ctx.routeType !== undefined && shown !== undefined && shown !== ctx.routeType) {
    throw new PushBodyError('item', `it is an ${shown}, but this path receives ${ctx.routeType}: check the URL of each message type in the SMS console`, {
      index: ctx.index,
      type: shown,
    });
  }
  if (!ctx.types.includes(type)) {
    throw new PushBodyError('item', `${type} is not received by push (push.types)`, { index: ctx.index, type });
  }
  return receiptFromJson(type, item, { source: 'push', text: needsItemText(item) ? ctx.text?.() : undefined });
}
