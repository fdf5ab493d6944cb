// QuerySendDetails' JSON → typed records: a record Alibaba never sends in that shape is a
// MalformedResponse naming the field, never a raw TypeError nor a silently dropped date.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlicomApiError } from '../lib/errors/alicom-api.error.js';
import type { PopResponse } from '../lib/rpc/pop-rpc.client.js';
import { mapQuerySendDetailsResponse } from '../lib/sms/send-details.mapper.js';

const record = {
  PhoneNum: '13912345678',
  SendStatus: 3,
  ErrCode: 'DELIVERED',
  Content: '【签名】您的验证码为123456',
  TemplateCode: 'SMS_1',
  SendDate: '2023-03-15 14:07:08',
  ReceiveDate: '2023-03-15 14:07:11',
  OutId: 'o-1',
};

function response(records: unknown): PopResponse {
  return { RequestId: 'R-1', Code: 'OK', TotalCount: 1, SmsSendDetailDTOs: { SmsSendDetailDTO: records } };
}

function malformed(body: PopResponse, field: string): void {
  assert.throws(
    () => mapQuerySendDetailsResponse(body),
    (error: unknown) => error instanceof AlicomApiError && error.code === 'MalformedResponse' && error.message.includes(field) && error.requestId === 'R-1',
  );
}

describe('mapQuerySendDetailsResponse', () => {
  it('maps a record with Beijing times to instants', () => {
    const [detail] = mapQuerySendDetailsResponse(response([record])).details;
    assert.equal(detail.status, 'delivered');
    assert.equal(detail.sendDate.toISOString(), '2023-03-15T06:07:08.000Z');
    assert.equal(detail.receiveDate?.toISOString(), '2023-03-15T06:07:11.000Z');
    assert.equal(detail.outId, 'o-1');
  });

  it('refuses a record that is not an object', () => {
    malformed(response([null]), 'SmsSendDetailDTO');
    malformed(response(['text']), 'SmsSendDetailDTO');
  });

  it('refuses a malformed ReceiveDate instead of dropping it', () => {
    malformed(response([{ ...record, ReceiveDate: '2023-03-15 14:61:11' }]), 'ReceiveDate');
  });
});
