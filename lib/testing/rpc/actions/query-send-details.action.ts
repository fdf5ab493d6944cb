import { DAY_MS, formatBeijingDateTime, parseBeijingDay, startOfBeijingDay } from '../../beijing-time.js';
import { requireValidPhoneNumber } from '../phone-numbers.js';
import type { RpcAction, RpcActionRequest } from '../rpc-action.interface.js';
import { businessErrors } from '../rpc-error-catalog.js';
import { optionalParameter, requireParameter } from '../rpc-parameters.js';
import type { RecipientOfSend, SendLedger } from '../send-ledger.js';

/** How many Beijing days back (today included) QuerySendDetails can look. */
export const QUERY_SEND_DETAILS_DAYS = 30;
/** Largest page QuerySendDetails serves. */
export const QUERY_SEND_DETAILS_MAX_PAGE_SIZE = 50;

const SEND_STATUS = { waiting: 1, failed: 2, delivered: 3 } as const;
const POSITIVE_INTEGER = /^[1-9]\d*$/;

/**
 * Dysmsapi `QuerySendDetails` (PROTOCOL.md §3.3): the recorded messages to one number on one Beijing
 * day, paged, oldest first.
 */
export class QuerySendDetailsAction implements RpcAction {
  readonly name = 'QuerySendDetails';
  readonly product = 'Dysmsapi';
  readonly version = '2017-05-25';

  constructor(
    private readonly ledger: SendLedger,
    private readonly clock: () => Date,
  ) {}

  execute({ parameters }: RpcActionRequest): Record<string, unknown> {
    const phoneNumber = requireParameter(parameters, 'PhoneNumber');
    const sendDate = requireParameter(parameters, 'SendDate');
    const pageSizeText = requireParameter(parameters, 'PageSize');
    const currentPageText = requireParameter(parameters, 'CurrentPage');

    if (phoneNumber.includes(',')) throw businessErrors.invalidParameters('PhoneNumber must be exactly one number');
    const normalizedNumber = requireValidPhoneNumber(phoneNumber);
    this.checkSendDate(sendDate);
    const pageSize = POSITIVE_INTEGER.test(pageSizeText) ? Number(pageSizeText) : 0;
    if (pageSize < 1 || pageSize > QUERY_SEND_DETAILS_MAX_PAGE_SIZE) {
      throw businessErrors.invalidParameters(`PageSize must be an integer from 1 to ${QUERY_SEND_DETAILS_MAX_PAGE_SIZE}`);
    }
    if (!POSITIVE_INTEGER.test(currentPageText)) throw businessErrors.invalidParameters('CurrentPage must be an integer >= 1');
    const currentPage = Number(currentPageText);

    const matches = this.ledger.recipientsOn(normalizedNumber, sendDate, optionalParameter(parameters, 'BizId'));
    const page = matches.slice((currentPage - 1) * pageSize, currentPage * pageSize);
    return {
      TotalCount: matches.length,
      SmsSendDetailDTOs: { SmsSendDetailDTO: page.map(toSendDetail) },
    };
  }

  /** `yyyyMMdd`, a real date, and one of the last 30 Beijing days. */
  private checkSendDate(sendDate: string): void {
    const day = parseBeijingDay(sendDate);
    if (day === undefined) throw businessErrors.invalidParameters('SendDate must be a date in yyyyMMdd form');
    const today = startOfBeijingDay(this.clock()).getTime();
    const oldest = today - (QUERY_SEND_DETAILS_DAYS - 1) * DAY_MS;
    if (day.getTime() > today || day.getTime() < oldest) {
      throw businessErrors.invalidParameters(`SendDate must be within the last ${QUERY_SEND_DETAILS_DAYS} days`);
    }
  }
}

/** One `SmsSendDetailDTO`; `ReceiveDate` is absent while the receipt is pending. */
function toSendDetail({ send, recipient }: RecipientOfSend): Record<string, unknown> {
  return {
    PhoneNum: recipient.normalizedNumber,
    SendStatus: SEND_STATUS[recipient.status],
    ErrCode: recipient.errCode ?? '',
    TemplateCode: send.templateCode,
    Content: recipient.content,
    SendDate: formatBeijingDateTime(send.acceptedAt),
    ...(recipient.receiveDate === undefined ? {} : { ReceiveDate: formatBeijingDateTime(recipient.receiveDate) }),
    OutId: send.outId ?? '',
  };
}
