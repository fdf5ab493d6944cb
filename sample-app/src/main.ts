import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { SampleConfigService } from './config/sample-config.service.js';

const app = await NestFactory.create(AppModule);
// Ctrl-C / SIGTERM: stop polling, drain the receipt handlers, close the HTTP server, then exit.
app.enableShutdownHooks();

const config = app.get(SampleConfigService);
await app.listen(config.port, config.host);
const url = (await app.getUrl()).replace('[::1]', 'localhost');
new Logger('Sample').log(`Open ${url}/ (mode: ${config.mode.toUpperCase()}). Press Ctrl-C to stop.`);
