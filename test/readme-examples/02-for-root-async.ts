import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AlicomSmsModule } from 'nestjs-alicom-sms';

@Module({
  imports: [
    ConfigModule.forRoot(),
    AlicomSmsModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        accessKeyId: config.getOrThrow<string>('ALICOM_ACCESS_KEY_ID'),
        accessKeySecret: config.getOrThrow<string>('ALICOM_ACCESS_KEY_SECRET'),
        regionId: config.get<string>('ALICOM_REGION_ID', 'cn-hangzhou'),
        receipts: { queuePrefix: config.getOrThrow<string>('ALICOM_QUEUE_PREFIX') },
      }),
    }),
  ],
})
export class AppModule {}
