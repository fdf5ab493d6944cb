import { Body, Controller, Get, Inject, Logger, Param, Post, Query, Res, ServiceUnavailableException } from '@nestjs/common';
import { AlicomSmsConfigError, SmsService, type SmsReport, type SmsSendDetail } from 'nestjs-alicom-sms';
import { randomUUID } from 'node:crypto';
import { sampleConfig, type SampleConfig } from '../config/sample.config.js';
import { EmulatorScenario } from '../emulator/emulator-scenario.js';
import { RecentEventsStore } from '../events/recent-events.store.js';
import { sentEvent } from '../events/sms-event.mapper.js';
import { AppShutdown } from '../lifecycle/app-shutdown.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { DetailsQueryDto, ReportQueryDto } from './dto/sms-queries.dto.js';
import { invalidRequest } from './invalid-request.js';

/** The part of Express' response used to notice a client that went away. */
interface ClosableResponse {
  once(event: 'close', listener: () => void): unknown;
  readonly writableFinished: boolean;
}

/**
 * Sending and querying. Bodies and queries are checked by the global `ValidationPipe` (400 naming
 * every bad field); errors of the library become 400 / 502 / 504 answers in `AlicomSmsExceptionFilter`.
 */
@Controller('sms')
export class SmsController {
  private readonly logger = new Logger('Sms');

  constructor(
    private readonly sms: SmsService,
    @Inject(sampleConfig.KEY) private readonly config: SampleConfig,
    private readonly scenario: EmulatorScenario,
    private readonly events: RecentEventsStore,
    private readonly shutdown: AppShutdown,
  ) {}

  /** `POST /sms` `{ phoneNumber, templateParam?, outId?, signName?, templateCode?, simulate? }` → `{ bizId, requestId, outId }`. */
  @Post()
  async send(@Body() body: SendSmsDto): Promise<{ bizId: string; requestId: string; phoneNumber: string; outId: string }> {
    const defaults = this.config.messageDefaults;
    const signName = body.signName ?? defaults.signName;
    const templateCode = body.templateCode ?? defaults.templateCode;
    if (!signName || !templateCode) {
      throw invalidRequest([
        ...(signName ? [] : [{ field: 'signName', problem: 'is required (or set ALICOM_SIGN_NAME): an approved signature' }]),
        ...(templateCode ? [] : [{ field: 'templateCode', problem: 'is required (or set ALICOM_TEMPLATE_CODE): an approved template code' }]),
      ]);
    }
    // An OutId on every send: it comes back in the receipt, so reports can be matched to orders.
    const outId = body.outId ?? `sample-${randomUUID().slice(0, 8)}`;
    const result = await this.scenario.run(body.phoneNumber, outId, body.simulate, () =>
      this.sms.sendSms({ phoneNumbers: body.phoneNumber, signName, templateCode, templateParam: body.templateParam, outId }),
    );
    this.logger.log(`Sent bizId=${result.bizId} to ${body.phoneNumber} (outId ${outId})`);
    this.events.add(sentEvent(result, body.phoneNumber, outId));
    return { bizId: result.bizId, requestId: result.requestId, phoneNumber: body.phoneNumber, outId };
  }

  /** `GET /sms/details?phone=&date=&bizId=`: every QuerySendDetails record of that number and day. */
  @Get('details')
  async details(@Query() { phone: phoneNumber, date, bizId }: DetailsQueryDto): Promise<{ phoneNumber: string; details: SmsSendDetail[] }> {
    const sendDate = date ?? new Date();
    const details: SmsSendDetail[] = [];
    for await (const detail of this.sms.iterateSendDetails({ phoneNumber, sendDate, bizId }, { signal: this.shutdown.signal })) {
      details.push(detail);
    }
    return { phoneNumber, details };
  }

  /**
   * `GET /sms/:bizId/report?phone=&timeoutMs=`: waits for the final report of that send
   * (from MNS, or back-filled by compensation); 504 when none arrived in time.
   */
  @Get(':bizId/report')
  async report(
    @Param('bizId') bizId: string,
    @Query() { phone: phoneNumber, timeoutMs }: ReportQueryDto,
    @Res({ passthrough: true }) response: ClosableResponse,
  ): Promise<SmsReport> {
    // Stop waiting when the client leaves or the app shuts down.
    const clientGone = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished) clientGone.abort();
    });
    const signal = AbortSignal.any([clientGone.signal, this.shutdown.signal]);
    try {
      return await this.sms.waitForReport(bizId, phoneNumber, { timeoutMs, signal });
    } catch (error) {
      if (error instanceof AlicomSmsConfigError) {
        throw new ServiceUnavailableException('Reports are not available: receipts are not configured (set ALICOM_QUEUE_PREFIX).');
      }
      if (this.shutdown.signal.aborted) throw new ServiceUnavailableException('The server is shutting down.');
      throw error;
    }
  }
}
