import { Module } from '@nestjs/common';
import { AlicomSmsModule } from 'nestjs-alicom-sms';
import { alicomOptionsFromEnv } from './alicom.config';
import { AppController } from './app.controller';
import { AppService } from './app.service';
import { VerificationModule } from './verification/verification.module';

@Module({
  imports: [AlicomSmsModule.forRoot(alicomOptionsFromEnv()), VerificationModule],
  controllers: [AppController],
  providers: [AppService],
})
export class AppModule {}
