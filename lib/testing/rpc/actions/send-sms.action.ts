import { parseStringRecord } from '../json-parameters.js';
import { requireValidPhoneNumber } from '../phone-numbers.js';
import type { RpcAction, RpcActionRequest } from '../rpc-action.interface.js';
import { businessErrors } from '../rpc-error-catalog.js';
import { optionalParameter, requireParameter } from '../rpc-parameters.js';
import type { SmsSendAcceptor } from '../sms-send-acceptor.js';

/** Most numbers one SendSms call may carry. */
export const SEND_SMS_MAX_NUMBERS = 1000;

/** Dysmsapi `SendSms` (PROTOCOL.md §3.1): one template and signature for up to 1000 comma-separated numbers. */
export class SendSmsAction implements RpcAction {
  readonly name = 'SendSms';
  readonly product = 'Dysmsapi';
  readonly version = '2017-05-25';

  constructor(private readonly acceptor: SmsSendAcceptor) {}

  execute({ parameters, requestId }: RpcActionRequest): Record<string, unknown> {
    const phoneNumbers = requireParameter(parameters, 'PhoneNumbers').split(',');
    const signName = requireParameter(parameters, 'SignName');
    const templateCode = requireParameter(parameters, 'TemplateCode');
    if (phoneNumbers.length > SEND_SMS_MAX_NUMBERS) throw businessErrors.mobileCountOverLimit(SEND_SMS_MAX_NUMBERS);
    const normalizedNumbers = phoneNumbers.map(requireValidPhoneNumber);
    const templateParamText = optionalParameter(parameters, 'TemplateParam');
    const templateParam = templateParamText === undefined ? undefined : parseStringRecord(templateParamText, 'TemplateParam');
    const smsUpExtendCode = optionalParameter(parameters, 'SmsUpExtendCode');

    const bizId = this.acceptor.accept({
      action: 'SendSms',
      requestId,
      templateCode,
      outId: optionalParameter(parameters, 'OutId'),
      recipients: phoneNumbers.map((phoneNumber, i) => ({
        phoneNumber,
        normalizedNumber: normalizedNumbers[i],
        signName,
        templateParam,
        smsUpExtendCode,
      })),
    });
    return { BizId: bizId };
  }
}
