import { inspect, type InspectOptions } from 'node:util';
import type { DynamicModule, FactoryProvider, Provider, ValueProvider } from '@nestjs/common';
import { RedactedSecret } from '../utils/redacted-secret.js';
import { MODULE_OPTION_KEYS } from './module-option-keys.js';

// What the module keeps under ALICOM_SMS_MODULE_OPTIONS is a copy of the caller's options whose
// secrets (accessKeySecret, securityToken, push.secret) are RedactedSecret holders: Nest keeps that value for the app's whole life, reachable
// from every provider through the container, and anyone may inject the token.

const SECRET_FIELDS = ['accessKeySecret', 'securityToken'] as const;

/** A short name of a dispatcher: its pool holds in-flight requests, whose headers carry tokens. */
export function describeDispatcher(dispatcher: unknown): string {
  try {
    const name = (dispatcher as { constructor?: { name?: unknown } })?.constructor?.name;
    return `[${typeof name === 'string' && name ? name : 'Dispatcher'}]`;
  } catch {
    return '[Dispatcher]';
  }
}

/**
 * Makes `target` print through `util.inspect` as `view()` shows it, whatever depth or
 * `showHidden` the caller asks for.
 */
export function inspectAs(target: object, view: () => Record<string, unknown>, name?: string): void {
  Object.defineProperty(target, inspect.custom, {
    enumerable: false,
    value(depth: number, options: InspectOptions, inspectFn: typeof inspect = inspect) {
      const shown = inspectFn(view(), { ...options, depth: options.depth === null ? null : depth });
      return name ? `${name} ${shown}` : shown;
    },
  });
}

/**
 * A copy of module options with the secrets in {@link RedactedSecret} holders and a dispatcher
 * that prints as its class name only. Anything but a plain object is returned as it is, for the
 * resolver to report.
 */
export function protectModuleOptions<T>(options: T): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  let copy: Record<string, unknown>;
  try {
    // Own fields (unknown ones too, for the resolver to report) plus known ones an options class
    // may define as getters on its prototype.
    copy = { ...(options as Record<string, unknown>) };
    for (const key of MODULE_OPTION_KEYS) {
      if (!(key in copy) && key in options) copy[key] = (options as Record<string, unknown>)[key];
    }
  } catch {
    return options;
  }
  for (const field of SECRET_FIELDS) {
    if (typeof copy[field] === 'string') copy[field] = new RedactedSecret(copy[field] as string);
  }
  // The push URL's shared secret, one level down.
  const push = copy.push;
  if (typeof push === 'object' && push !== null && !Array.isArray(push) && typeof (push as { secret?: unknown }).secret === 'string') {
    copy.push = { ...push, secret: new RedactedSecret((push as { secret: string }).secret) };
  }
  inspectAs(copy, () => ('dispatcher' in copy && copy.dispatcher !== undefined ? { ...copy, dispatcher: describeDispatcher(copy.dispatcher) } : { ...copy }));
  return copy as T;
}

/**
 * The dynamic module with its options provider (whatever its kind: forRoot's value, or
 * forRootAsync's factory, class or existing provider, which Nest turns into a factory) storing
 * protected options instead of the raw ones.
 */
export function withProtectedOptions(module: DynamicModule, token: string | symbol): DynamicModule {
  const providers = (module.providers ?? []).map((provider): Provider => {
    if (typeof provider !== 'object' || provider === null || !('provide' in provider) || provider.provide !== token) return provider;
    if ('useValue' in provider) return { ...(provider as ValueProvider), useValue: protectModuleOptions((provider as ValueProvider).useValue) };
    if ('useFactory' in provider) {
      const factory = (provider as FactoryProvider).useFactory;
      return {
        ...(provider as FactoryProvider),
        useFactory: async (...args: unknown[]) => protectModuleOptions(await factory(...args)),
      };
    }
    return provider;
  });
  return { ...module, providers };
}
