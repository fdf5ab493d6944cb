import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { ON_SMS_REPORT_METADATA, ON_SMS_UP_METADATA } from '../../alicom-sms.constants.js';
import { handlerIgnoredMessage } from '../../alicom-sms.messages.js';
import type { SmsReport, SmsUp } from '../../interfaces/sms-receipt.interface.js';
import { InspectsAs } from '../../utils/inspects-as.js';

/** The kinds of receipt a handler can subscribe to. */
export type SmsReceiptType = (SmsReport | SmsUp)['type'];

/** The receipt payload of a given kind. */
export type SmsReceiptOf<T extends SmsReceiptType> = Extract<SmsReport | SmsUp, { type: T }>;

/** One `@OnSmsReport()` / `@OnSmsUp()` method found at startup. */
export interface DiscoveredReceiptHandler<R extends SmsReport | SmsUp = SmsReport | SmsUp> {
  /** `Class#method`, for logs and errors. */
  readonly name: string;
  /**
   * Calls the handler and returns what it returned (a promise for an async handler); a
   * synchronous handler's throw propagates.
   */
  call(receipt: R): unknown;
}

/** Metadata key and decorator name per receipt kind. */
const RECEIPT_KINDS: ReadonlyArray<{ type: SmsReceiptType; metadataKey: string; decorator: string }> = [
  { type: 'SmsReport', metadataKey: ON_SMS_REPORT_METADATA, decorator: '@OnSmsReport()' },
  { type: 'SmsUp', metadataKey: ON_SMS_UP_METADATA, decorator: '@OnSmsUp()' },
];

/**
 * Finds the `@OnSmsReport()` / `@OnSmsUp()` methods of every provider and controller once all
 * instances exist (`onModuleInit`), and hands them out per receipt kind.
 *
 * Request-scoped and transient classes are skipped with a warning: there is no request for a
 * receipt, and the instance Nest keeps for a transient class is a never-constructed prototype.
 */
@Injectable()
@InspectsAs((explorer: SmsHandlersExplorer) => ({ SmsReport: explorer.handlerCount('SmsReport'), SmsUp: explorer.handlerCount('SmsUp') }))
export class SmsHandlersExplorer implements OnModuleInit {
  private readonly logger = new Logger('AlicomSms');
  private readonly handlers = new Map<SmsReceiptType, DiscoveredReceiptHandler[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.handlers.clear();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      this.exploreWrapper(wrapper);
    }
    this.logger.debug(
      `Receipt handlers: ${this.handlerCount('SmsReport')} @OnSmsReport(), ${this.handlerCount('SmsUp')} @OnSmsUp().`,
    );
  }

  /** The handlers of one receipt kind, in discovery order. */
  handlersFor<T extends SmsReceiptType>(type: T): ReadonlyArray<DiscoveredReceiptHandler<SmsReceiptOf<T>>> {
    return this.handlers.get(type) ?? [];
  }

  /** How many handlers one receipt kind has. */
  handlerCount(type: SmsReceiptType): number {
    return this.handlersFor(type).length;
  }

  private exploreWrapper(wrapper: InstanceWrapper): void {
    // NOTE: an alias (`useExisting`) shares its target's instance; scanning it would register
    // every handler twice.
    const instance: unknown = wrapper.instance;
    if (!instance || typeof instance !== 'object' || wrapper.isAlias) return;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown> | null;
    if (!prototype) return;

    const className = (instance.constructor as Function | undefined)?.name || String(wrapper.name);
    const unsupportedScope = wrapper.isTransient
      ? 'transient'
      : !wrapper.isDependencyTreeStatic()
        ? 'request-scoped (or depends on a request-scoped provider)'
        : undefined;

    for (const methodKey of this.scanner.getAllMethodNames(prototype)) {
      // NOTE: metadata sits on the prototype's function; reflect-metadata throws on non-objects.
      const method = prototype[methodKey];
      if (typeof method !== 'function') continue;
      for (const kind of RECEIPT_KINDS) {
        if (!this.reflector.get(kind.metadataKey, method)) continue;
        const name = `${className}#${methodKey}`;
        if (unsupportedScope) {
          this.logger.warn(handlerIgnoredMessage(name, kind.decorator, unsupportedScope));
          continue;
        }
        this.register(kind.type, name, instance as Record<string, unknown>, methodKey);
      }
    }
  }

  private register(
    type: SmsReceiptType,
    name: string,
    instance: Record<string, unknown>,
    methodKey: string,
  ): void {
    const handler: DiscoveredReceiptHandler = {
      name,
      // Looked up at call time, so a spy or mock installed on the instance after startup is used.
      call: (receipt) => (instance[methodKey] as (receipt: SmsReport | SmsUp) => unknown).call(instance, receipt),
    };
    const list = this.handlers.get(type);
    if (list) list.push(handler);
    else this.handlers.set(type, [handler]);
  }
}
