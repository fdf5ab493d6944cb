import { RpcBusinessError, RpcGatewayError } from './rpc-errors.js';

// Codes and texts Alibaba answers with (PROTOCOL.md §2.6, §3.6). Texts marked "observed" there are
// reproduced verbatim; the rest follow Alibaba's usual wording (unconfirmed, see §9.2).

/** Gateway errors (HTTP >= 400). */
export const gatewayErrors = {
  /** A required parameter is absent or empty; Alibaba names the parameter in the code. */
  missingParameter: (name: string) =>
    new RpcGatewayError(400, `Missing${name}`, `${name} is mandatory for this action.`),
  unsupportedHttpMethod: (method: string) =>
    new RpcGatewayError(400, 'UnsupportedHTTPMethod', `Specified http method ${method} is not supported.`),
  invalidSignatureMethod: () =>
    new RpcGatewayError(400, 'InvalidSignatureMethod', 'Specified signature method is not supported, use HMAC-SHA1.'),
  invalidSignatureVersion: () =>
    new RpcGatewayError(400, 'InvalidSignatureVersion', 'Specified signature version is not supported, use 1.0.'),
  accessKeyNotFound: () =>
    new RpcGatewayError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.'),
  signatureDoesNotMatch: (serverStringToSign: string) =>
    new RpcGatewayError(
      400,
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${serverStringToSign}`,
    ),
  timestampMalformed: () =>
    new RpcGatewayError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.'),
  timestampExpired: () =>
    new RpcGatewayError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.'),
  nonceUsed: () => new RpcGatewayError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.'),
  actionNotFound: () =>
    new RpcGatewayError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.'),
  invalidVersion: () => new RpcGatewayError(400, 'InvalidVersion', 'Specified parameter Version is not valid.'),
  internalError: () =>
    new RpcGatewayError(
      500,
      'InternalError',
      'The request processing has failed due to some unknown error, exception or failure.',
    ),
};

/** Business errors (HTTP 200, `Code` other than `OK`). */
export const businessErrors = {
  mobileNumberIllegal: (phoneNumber: string) =>
    new RpcBusinessError('isv.MOBILE_NUMBER_ILLEGAL', `非法手机号: ${phoneNumber}`),
  mobileCountOverLimit: (limit: number) =>
    new RpcBusinessError('isv.MOBILE_COUNT_OVER_LIMIT', `手机号码数量超过限制(${limit})`),
  invalidJsonParam: (name: string) =>
    new RpcBusinessError('isv.INVALID_JSON_PARAM', `JSON参数不合法，只接受字符串值 (${name})`),
  invalidParameters: (detail: string) => new RpcBusinessError('isv.INVALID_PARAMETERS', `参数异常: ${detail}`),
  templateIllegal: (templateCode: string) =>
    new RpcBusinessError('isv.SMS_TEMPLATE_ILLEGAL', `模板不合法(不存在或被拉黑): ${templateCode}`),
  templateMissingParameters: (variable: string) =>
    new RpcBusinessError('isv.TEMPLATE_MISSING_PARAMETERS', `模板变量缺少对应参数值: ${variable}`),
  signatureIllegal: (signName: string) =>
    new RpcBusinessError('isv.SMS_SIGNATURE_ILLEGAL', `签名不合法(不存在或被拉黑): ${signName}`),
  businessLimitControl: (permits: number) =>
    new RpcBusinessError('isv.BUSINESS_LIMIT_CONTROL', `触发分钟级流控Permits:${permits}`),
};
