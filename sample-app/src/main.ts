import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AlicomSmsError, SmsService } from 'nestjs-alicom-sms';
import { AppModule } from './app.module.js';
import { SampleConfigService } from './sample-config.service.js';

const logger = new Logger('Sample');
const app = await NestFactory.createApplicationContext(AppModule);
app.enableShutdownHooks();

const sms = app.get(SmsService);
const demo = app.get(SampleConfigService).demoMessage();
if (!demo) {
  logger.warn('Set ALICOM_SIGN_NAME, ALICOM_TEMPLATE_CODE and ALICOM_TEST_PHONE to send a real SMS.');
} else {
  try {
    const sent = await sms.sendSms({
      phoneNumbers: demo.phoneNumber,
      signName: demo.signName,
      templateCode: demo.templateCode,
      templateParam: { code: String(Math.floor(100000 + Math.random() * 900000)) },
      outId: `sample-${Date.now()}`,
    });
    logger.log(`Sent: bizId=${sent.bizId} requestId=${sent.requestId}`);
    for await (const detail of sms.iterateSendDetails({ phoneNumber: demo.phoneNumber, sendDate: new Date(), bizId: sent.bizId })) {
      logger.log(`QuerySendDetails: ${detail.phoneNumber} ${detail.status} ${detail.errCode} "${detail.content}"`);
    }
  } catch (error) {
    if (error instanceof AlicomSmsError) logger.error(`${error.code}: ${error.message}`);
    else throw error;
  }
}
await app.close();
