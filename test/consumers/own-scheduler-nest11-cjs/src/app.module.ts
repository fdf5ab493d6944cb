import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AlicomSmsModule } from 'nestjs-alicom-sms';
import { alicomOptionsFromEnv } from './alicom.config';
import { UserTicker } from './user-ticker';
import { VerificationService } from './verification.service';

/** The app's own scheduler comes first here; test/scheduler.spec.ts also tries it last. */
@Module({
  imports: [ScheduleModule.forRoot(), AlicomSmsModule.forRootAsync({ useFactory: () => alicomOptionsFromEnv() })],
  providers: [UserTicker, VerificationService],
})
export class AppModule {}
