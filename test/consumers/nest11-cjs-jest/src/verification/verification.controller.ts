import { Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { VerificationService } from './verification.service';

@Controller('verification')
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Post()
  send(@Body() body: { phoneNumber: string }) {
    return this.verification.sendCode(body.phoneNumber);
  }

  @Get(':bizId/report')
  report(@Param('bizId') bizId: string) {
    const report = this.verification.reportFor(bizId);
    if (!report) throw new NotFoundException(`no report for ${bizId} yet`);
    return { success: report.success, phoneNumber: report.phoneNumber, errCode: report.errCode };
  }
}
