import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ALICOM_SMS_RESOLVED_OPTIONS } from '../../alicom-sms.constants.js';
import { pushNeedsHttpAppProblem, pushRoutesMessage, pushUnsupportedPlatformProblem } from '../../alicom-sms.messages.js';
import { AlicomSmsClock } from '../../clock/alicom-sms.clock.js';
import { AlicomSmsConfigError } from '../../errors/alicom-sms-config.error.js';
import type { ResolvedAlicomSmsOptions } from '../../options/resolved-alicom-sms-options.js';
import { PushHttpEndpoint } from './push-http-endpoint.js';
import { PushRefusalLog } from './push-refusal-log.js';
import { PushIntake } from './push-intake.js';
import { InspectsAs } from '../../utils/inspects-as.js';

// The two platforms as far as registering a route goes (structural: neither is a dependency).

interface HttpAdapterLike {
  getType(): string;
  getInstance<T>(): T;
  post(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): unknown;
}

interface ExpressAppLike {
  router?: { stack?: unknown[] };
}

interface FastifyRequestLike {
  raw: IncomingMessage;
  body?: unknown;
}

interface FastifyInstanceLike {
  register(plugin: (instance: FastifyInstanceLike) => Promise<void>): PromiseLike<unknown>;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (request: unknown, payload: Readable, done: (error: Error | null, body?: unknown) => void) => void): void;
  route(options: {
    method: string;
    url: string;
    logLevel: string;
    handler: (request: FastifyRequestLike, reply: { hijack(): void; raw: ServerResponse }) => void;
  }): unknown;
}

/**
 * Registers the push receiving route(s) on the app's HTTP platform at startup, so no controller is
 * needed. Each route answers by itself, before the platform's body parsing and error handling:
 *
 * - Express: the route goes first in the app's router, ahead of the JSON and URL-encoded body
 *   parsers Nest installs (100 kB default limit) and of any middleware.
 * - Fastify: the route lives in its own encapsulated context whose only content-type parser hands
 *   the body stream over unread, whatever the content type; its requests are not logged by
 *   Fastify's logger (`logLevel: 'silent'`), which would show the secret in the URL.
 *
 * Either way the receiver reads the body itself, with `push.maxBodyBytes` and strict JSON.
 */
@Injectable()
@InspectsAs()
export class PushRoutesRegistrar implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AlicomSms');
  private readonly refusals: PushRefusalLog;

  constructor(
    @Inject(ALICOM_SMS_RESOLVED_OPTIONS) private readonly options: ResolvedAlicomSmsOptions,
    private readonly receiver: PushIntake,
    clock: AlicomSmsClock,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.refusals = new PushRefusalLog(this.logger, clock);
  }

  async onModuleInit(): Promise<void> {
    const push = this.options.push;
    if (!push || !push.registerRoutes) return;
    const adapter = this.adapterHost?.httpAdapter as HttpAdapterLike | undefined;
    if (!adapter) throw new AlicomSmsConfigError([{ field: 'push.registerRoutes', problem: pushNeedsHttpAppProblem }]);
    const endpoints = push.routes.map((route) => new PushHttpEndpoint(route, push, this.receiver, this.refusals));
    const platform = adapter.getType();
    if (platform === 'express') registerOnExpress(adapter, endpoints);
    else if (platform === 'fastify') await registerOnFastify(adapter.getInstance<FastifyInstanceLike>(), endpoints);
    else throw new AlicomSmsConfigError([{ field: 'push.registerRoutes', problem: pushUnsupportedPlatformProblem(platform) }]);
    this.receiver.markRoutesRegistered();
    this.logger.log(pushRoutesMessage(endpoints.map((endpoint) => endpoint.describe()), platform));
  }

  onApplicationShutdown(): void {
    this.refusals.close();
  }
}

function registerOnExpress(adapter: HttpAdapterLike, endpoints: PushHttpEndpoint[]): void {
  const stack = adapter.getInstance<ExpressAppLike>().router?.stack;
  if (!Array.isArray(stack)) {
    throw new AlicomSmsConfigError([{ field: 'push.registerRoutes', problem: pushUnsupportedPlatformProblem('express without a router stack (Express 5 expected)') }]);
  }
  const before = stack.length;
  for (const endpoint of endpoints) {
    for (const path of endpoint.routePaths) adapter.post(path, (req, res) => endpoint.handle(req, res));
  }
  // NOTE: Nest registered its body parsers when the app initialized, before any module hook ran;
  // moving the new layers to the front of Express's router is the only way to get the body unread.
  stack.unshift(...stack.splice(before));
}

async function registerOnFastify(fastify: FastifyInstanceLike, endpoints: PushHttpEndpoint[]): Promise<void> {
  await fastify.register(async (context) => {
    // The inherited parsers (JSON with the app's bodyLimit, ...) would read and parse the body first.
    context.removeAllContentTypeParsers();
    context.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    for (const endpoint of endpoints) {
      for (const url of endpoint.routePaths) {
        context.route({
          method: 'POST',
          url,
          logLevel: 'silent',
          handler: (request, reply) => {
            reply.hijack();
            const stream = isReadable(request.body) ? request.body : request.raw;
            endpoint.handle(request.raw, reply.raw, stream);
          },
        });
      }
    }
  });
}

function isReadable(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).on === 'function' && typeof (value as Readable).read === 'function';
}
