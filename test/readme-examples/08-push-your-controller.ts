import { Body, Controller, ForbiddenException, HttpCode, HttpException, Param, Post, Req } from '@nestjs/common';
import { SmsPushReceiver } from 'nestjs-alicom-sms';

/** With push: { registerRoutes: false, secret }: the receiver in a controller of your own. */
@Controller('hooks')
export class SmsReportPushController {
  constructor(private readonly receiver: SmsPushReceiver) {}

  @Post('sms-report/:secret')
  @HttpCode(200)
  async smsReport(@Param('secret') secret: string, @Req() req: { rawBody?: Buffer }, @Body() body: unknown) {
    if (!this.receiver.isSecretValid(secret)) throw new ForbiddenException();
    // The raw bytes (NestFactory.create(AppModule, { rawBody: true })) are parsed strictly;
    // without them, the body your JSON parser made is used.
    const answer = await this.receiver.receive(req.rawBody ?? body, { type: 'SmsReport', path: '/hooks/sms-report' });
    if (answer.status !== 200) throw new HttpException(answer.body, answer.status); // Alibaba pushes it again
    return answer.body; // {"code":0,"msg":"OK: ..."}
  }
}
