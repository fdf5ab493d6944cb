import { Module } from '@nestjs/common';
import { AlicomSmsModule } from 'nestjs-alicom-sms';
import { alicomOptionsFromEnv } from './alicom.config.js';
import { AppController } from './app.controller.js';
import { AppService } from './app.service.js';
import { VerificationModule } from './verification/verification.module.js';

@Module({
  imports: [AlicomSmsModule.forRootAsync({ useFactory: () => alicomOptionsFromEnv() }), VerificationModule],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
