import { Module } from '@nestjs/common';
import { AlicomSmsModule } from 'nestjs-alicom-sms';

@Module({
  imports: [
    AlicomSmsModule.forRoot({
      accessKeyId: process.env.ALICOM_ACCESS_KEY_ID!,
      accessKeySecret: process.env.ALICOM_ACCESS_KEY_SECRET!,
      // regionId: 'cn-hangzhou',                     // default
      // Receipts (delivery reports and replies): the queue prefix from the SMS console.
      receipts: { queuePrefix: 'Alicom-Queue-1092397003988387-' },
    }),
  ],
})
export class AppModule {}
