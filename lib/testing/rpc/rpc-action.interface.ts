/** Products whose actions the emulator serves (they name the `Recommend` link of errors). */
export type RpcProduct = 'Dysmsapi' | 'Dybaseapi';

/** The authenticated request an action works on. */
export interface RpcActionRequest {
  /** Decoded parameters, common ones included. */
  readonly parameters: Readonly<Record<string, string>>;
  /** `RequestId` the answer will carry. */
  readonly requestId: string;
}

/**
 * One RPC action. `execute` returns the action's own answer fields (next to `RequestId`,
 * `Code: "OK"`, `Message: "OK"`) or throws an `RpcBusinessError` / `RpcGatewayError`.
 */
export interface RpcAction {
  readonly name: string;
  readonly product: RpcProduct;
  /** API version the action answers to. */
  readonly version: string;
  execute(request: RpcActionRequest): Record<string, unknown>;
}
