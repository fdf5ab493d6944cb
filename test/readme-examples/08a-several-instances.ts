import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { AlicomSmsModule, RedisReceiptStore } from 'nestjs-alicom-sms';

@Module({
  imports: [
    ConfigModule.forRoot(),
    AlicomSmsModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        accessKeyId: config.getOrThrow<string>('ALICOM_ACCESS_KEY_ID'),
        accessKeySecret: config.getOrThrow<string>('ALICOM_ACCESS_KEY_SECRET'),
        receipts: { queuePrefix: config.getOrThrow<string>('ALICOM_QUEUE_PREFIX') },
        compensation: {
          store: new RedisReceiptStore({
            // Your client (closed by you), or `connection: 'redis://…'` for one the store opens and closes.
            client: new Redis(config.getOrThrow<string>('ALICOM_REDIS_URL')),
            // Every instance consuming these queues uses the same prefix; another deployment another one.
            keyPrefix: 'sms-prod',
          }),
        },
      }),
    }),
  ],
})
export class AppModule {}
