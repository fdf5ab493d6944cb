import { parseStringArray, parseStringRecordArray } from '../json-parameters.js';
import { requireValidPhoneNumber } from '../phone-numbers.js';
import type { RpcAction, RpcActionRequest } from '../rpc-action.interface.js';
import { businessErrors } from '../rpc-error-catalog.js';
import { optionalParameter, requireParameter } from '../rpc-parameters.js';
import type { SmsSendAcceptor } from '../sms-send-acceptor.js';

/** Most numbers one SendBatchSms call may carry. */
export const SEND_BATCH_SMS_MAX_NUMBERS = 100;

/**
 * Dysmsapi `SendBatchSms` (PROTOCOL.md §3.2): JSON arrays of numbers, signatures and variables,
 * index-aligned, one template for the batch.
 */
export class SendBatchSmsAction implements RpcAction {
  readonly name = 'SendBatchSms';
  readonly product = 'Dysmsapi';
  readonly version = '2017-05-25';

  constructor(private readonly acceptor: SmsSendAcceptor) {}

  execute({ parameters, requestId }: RpcActionRequest): Record<string, unknown> {
    const phoneNumberJson = requireParameter(parameters, 'PhoneNumberJson');
    const signNameJson = requireParameter(parameters, 'SignNameJson');
    const templateCode = requireParameter(parameters, 'TemplateCode');

    const phoneNumbers = parseStringArray(phoneNumberJson, 'PhoneNumberJson');
    if (phoneNumbers.length === 0) throw businessErrors.invalidParameters('PhoneNumberJson is empty');
    if (phoneNumbers.length > SEND_BATCH_SMS_MAX_NUMBERS) {
      throw businessErrors.mobileCountOverLimit(SEND_BATCH_SMS_MAX_NUMBERS);
    }
    const signNames = alignedWithNumbers(parseStringArray(signNameJson, 'SignNameJson'), 'SignNameJson', phoneNumbers.length);
    const templateParamJson = optionalParameter(parameters, 'TemplateParamJson');
    const templateParams =
      templateParamJson === undefined
        ? undefined
        : alignedWithNumbers(parseStringRecordArray(templateParamJson, 'TemplateParamJson'), 'TemplateParamJson', phoneNumbers.length);
    const extendCodeJson = optionalParameter(parameters, 'SmsUpExtendCodeJson');
    const extendCodes =
      extendCodeJson === undefined
        ? undefined
        : alignedWithNumbers(parseStringArray(extendCodeJson, 'SmsUpExtendCodeJson'), 'SmsUpExtendCodeJson', phoneNumbers.length);
    const normalizedNumbers = phoneNumbers.map(requireValidPhoneNumber);

    const bizId = this.acceptor.accept({
      action: 'SendBatchSms',
      requestId,
      templateCode,
      outId: optionalParameter(parameters, 'OutId'),
      recipients: phoneNumbers.map((phoneNumber, i) => ({
        phoneNumber,
        normalizedNumber: normalizedNumbers[i],
        signName: signNames[i],
        templateParam: templateParams?.[i],
        smsUpExtendCode: extendCodes?.[i],
      })),
    });
    return { BizId: bizId };
  }
}

/** Refuses an array whose length differs from the number list (`isv.INVALID_PARAMETERS`). */
function alignedWithNumbers<T>(values: T[], parameterName: string, numberCount: number): T[] {
  if (values.length !== numberCount) {
    throw businessErrors.invalidParameters(
      `${parameterName} has ${values.length} entries but PhoneNumberJson has ${numberCount}`,
    );
  }
  return values;
}
