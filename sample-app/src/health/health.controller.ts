import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { AlicomSmsHealthIndicator } from 'nestjs-alicom-sms/terminus';

/** `GET /health`: 200 while receipts are consumed, 503 with the reason otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly sms: AlicomSmsHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.sms.isHealthy('alicom-sms')]);
  }
}
