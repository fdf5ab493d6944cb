// The two ways an Alibaba RPC call fails (PROTOCOL.md §2.5): a gateway error rejects the request
// itself (HTTP 4xx/5xx), a business error answers HTTP 200 with a Code other than OK.

/** A gateway-level rejection, answered with its HTTP status and `HostId`/`Recommend` fields. */
export class RpcGatewayError extends Error {
  constructor(
    /** HTTP status of the answer (>= 400). */
    readonly httpStatus: number,
    /** Alibaba error code, e.g. `SignatureDoesNotMatch`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcGatewayError';
  }
}

/** A business-level refusal: HTTP 200, `Code` is not `OK`, no `BizId`. */
export class RpcBusinessError extends Error {
  constructor(
    /** Alibaba error code, e.g. `isv.MOBILE_NUMBER_ILLEGAL`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RpcBusinessError';
  }
}
