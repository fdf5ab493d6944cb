import { AlicomApiError } from '../errors/alicom-api.error.js';
import type { QuerySendDetailsResult, SmsSendDetail, SmsSendStatus } from '../interfaces/sms-requests.interface.js';
import type { PopResponse } from '../rpc/pop-rpc.client.js';
import { parseBeijingDateTime } from '../utils/beijing-time.js';

const STATUS_BY_CODE: Record<string, SmsSendStatus> = { '1': 'waiting', '2': 'failed', '3': 'delivered' };

function malformed(field: string, value: unknown, requestId: string): AlicomApiError {
  return new AlicomApiError(
    `QuerySendDetails: unexpected ${field} ${JSON.stringify(value)} in Alibaba's response (RequestId ${requestId})`,
    { code: 'MalformedResponse', action: 'QuerySendDetails', requestId, httpStatus: 200, resendSafe: true, retryable: false },
  );
}

/**
 * Maps QuerySendDetails' JSON (`SmsSendDetailDTOs.SmsSendDetailDTO[]`, `SendStatus` 1/2/3, Beijing
 * times, `TotalCount` as number or string) to typed records.
 */
export function mapQuerySendDetailsResponse(body: PopResponse): QuerySendDetailsResult {
  const requestId = body.RequestId;
  const totalCount = Number(body.TotalCount ?? 0);
  if (!Number.isSafeInteger(totalCount) || totalCount < 0) throw malformed('TotalCount', body.TotalCount, requestId);
  const wrapper = body.SmsSendDetailDTOs as { SmsSendDetailDTO?: unknown } | undefined;
  const raw = wrapper?.SmsSendDetailDTO;
  const records: unknown[] = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const details = records.map((record): SmsSendDetail => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) throw malformed('SmsSendDetailDTO', record, requestId);
    const dto = record as Record<string, unknown>;
    const status = STATUS_BY_CODE[String(dto.SendStatus)];
    if (!status) throw malformed('SendStatus', dto.SendStatus, requestId);
    const sendDate = parseBeijingDateTime(String(dto.SendDate ?? ''));
    if (!sendDate) throw malformed('SendDate', dto.SendDate, requestId);
    const receiveDate = dto.ReceiveDate ? parseBeijingDateTime(String(dto.ReceiveDate)) : undefined;
    if (dto.ReceiveDate && !receiveDate) throw malformed('ReceiveDate', dto.ReceiveDate, requestId);
    const detail: SmsSendDetail = {
      phoneNumber: String(dto.PhoneNum ?? ''),
      status,
      errCode: String(dto.ErrCode ?? ''),
      content: String(dto.Content ?? ''),
      templateCode: String(dto.TemplateCode ?? ''),
      sendDate,
    };
    if (dto.OutId) detail.outId = String(dto.OutId);
    if (receiveDate && status !== 'waiting') detail.receiveDate = receiveDate;
    return detail;
  });
  return { totalCount, requestId, details };
}
