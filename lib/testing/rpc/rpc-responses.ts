import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RpcProduct } from './rpc-action.interface.js';
import type { RpcBusinessError, RpcGatewayError } from './rpc-errors.js';
import { renderRpcXml } from './rpc-xml.js';

/**
 * The answer format a request asked for: JSON only when `Format` says so (any case); Alibaba
 * answers XML when `Format` is absent (PROTOCOL.md §2.1, §9.1 item 10).
 */
export type RpcResponseFormat = 'JSON' | 'XML';

/** The format of the answer to a request with these parameters. */
export function responseFormatOf(parameters: Readonly<Record<string, string>>): RpcResponseFormat {
  return parameters.Format?.toUpperCase() === 'JSON' ? 'JSON' : 'XML';
}

/** A JSON answer ready to be written. */
export interface RpcReply {
  readonly httpStatus: number;
  readonly body: { readonly RequestId: string; readonly Code: string } & Record<string, unknown>;
}

/** A fresh `RequestId`: an upper-case UUID like Alibaba's. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** HTTP 200 `{RequestId, Code: "OK", Message: "OK", ...fields}`. */
export function successReply(requestId: string, fields: Record<string, unknown>): RpcReply {
  return { httpStatus: 200, body: { RequestId: requestId, Code: 'OK', Message: 'OK', ...fields } };
}

/** HTTP 200 `{RequestId, Code, Message}` without `BizId`. */
export function businessErrorReply(requestId: string, error: RpcBusinessError): RpcReply {
  return { httpStatus: 200, body: { RequestId: requestId, Code: error.code, Message: error.message } };
}

/** HTTP 4xx/5xx `{RequestId, HostId, Code, Message, Recommend}`. */
export function gatewayErrorReply(requestId: string, hostId: string, product: RpcProduct, error: RpcGatewayError): RpcReply {
  const recommend =
    `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}` +
    `&product=${product}&requestId=${requestId}`;
  return {
    httpStatus: error.httpStatus,
    body: { RequestId: requestId, HostId: hostId, Code: error.code, Message: error.message, Recommend: recommend },
  };
}

/**
 * Writes a reply as `application/json;charset=utf-8`, or as `text/xml;charset=utf-8` rooted at
 * `<{action}Response>` (`<Error>` for a gateway error).
 */
export function writeReply(res: ServerResponse, reply: RpcReply, format: RpcResponseFormat, action: string): void {
  const isJson = format === 'JSON';
  const payload = isJson
    ? JSON.stringify(reply.body)
    : renderRpcXml(reply.httpStatus >= 400 ? 'Error' : `${action}Response`, reply.body);
  res.writeHead(reply.httpStatus, {
    'Content-Type': isJson ? 'application/json;charset=utf-8' : 'text/xml;charset=utf-8',
    'Content-Length': Buffer.byteLength(payload, 'utf8'),
  });
  // NOTE: a string (not a Buffer) lets node send the header and the body in one write.
  res.end(payload, 'utf8');
}
