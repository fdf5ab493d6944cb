// Stands in for an application's own src/ in the README's whole-app testing recipe
// (test/readme-examples/09a-testing-the-whole-app.spec.ts): configured for Alibaba from the
// environment, as a real app is.
import { Module } from '@nestjs/common';
import { AlicomSmsModule } from 'nestjs-alicom-sms';
import { SignupService } from './signup.service.js';

@Module({
  imports: [
    AlicomSmsModule.forRootAsync({
      useFactory: () => ({
        accessKeyId: process.env.ALICOM_ACCESS_KEY_ID ?? '',
        accessKeySecret: process.env.ALICOM_ACCESS_KEY_SECRET ?? '',
        receipts: { queuePrefix: process.env.ALICOM_QUEUE_PREFIX ?? '' },
      }),
    }),
  ],
  providers: [SignupService],
})
export class AppModule {}
