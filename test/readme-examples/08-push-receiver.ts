import { Module } from '@nestjs/common';
import { AlicomSmsModule } from 'nestjs-alicom-sms';

@Module({
  imports: [
    AlicomSmsModule.forRoot({
      accessKeyId: process.env.ALICOM_ACCESS_KEY_ID!,
      accessKeySecret: process.env.ALICOM_ACCESS_KEY_SECRET!,
      push: {
        // The console URL of both types: https://sms-hooks.example.com/alicom/receipts/<secret>
        path: '/alicom/receipts',
        secret: process.env.ALICOM_PUSH_SECRET!, // e.g. randomBytes(24).toString('base64url')
        // allowFrom: ['203.0.113.0/24'], trustProxy: 1, // behind one reverse proxy
        // answerTimeoutMs: 500, maxBodyBytes: 1_048_576, maxConcurrentRequests: 16,
      },
      // To pull SmsUp from its queue instead (the console sets each type separately), add
      // receipts: { queuePrefix: 'Alicom-Queue-1092397003988387-', types: ['SmsUp'] } and push.types: ['SmsReport'].
    }),
  ],
})
export class AppModule {}
