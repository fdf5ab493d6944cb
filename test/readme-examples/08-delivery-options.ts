import { Module } from '@nestjs/common';
import { AlicomSmsModule, type PoisonMessage } from 'nestjs-alicom-sms';

/** Stands in for your dead-letter table. */
const deadLetters: PoisonMessage[] = [];

@Module({
  imports: [
    AlicomSmsModule.forRoot({
      accessKeyId: process.env.ALICOM_ACCESS_KEY_ID!,
      accessKeySecret: process.env.ALICOM_ACCESS_KEY_SECRET!,
      receipts: {
        queuePrefix: 'Alicom-Queue-1092397003988387-',
        maxInFlight: 32, // polling pauses while 32 receipts are being handled
        retryBackoffSeconds: 10, // a failed handler sees the receipt again after 10 s, 20 s, 40 s, ...
        maxRetryBackoffSeconds: 600,
        maxDeliveries: 5, // the 5th failed delivery goes to the poison policy
        poisonPolicy: 'delete',
        onPoisonMessage: (message) => {
          deadLetters.push(message); // store it; if this throws, the message is kept
        },
        shutdownTimeoutMs: 10_000, // how long shutdown waits for running handlers
      },
    }),
  ],
})
export class AppModule {}
