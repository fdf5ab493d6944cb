import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { fileURLToPath } from 'node:url';
import { AppModule } from './app.module.js';
import { sampleConfig, type SampleConfig } from './config/sample.config.js';

// Closing must not wait for browsers to drop their idle keep-alive connections.
const app = await NestFactory.create<NestExpressApplication>(AppModule, { forceCloseConnections: true });
// The page: plain HTML, CSS and JS next to this build (`sample-app/public`), no build step.
app.useStaticAssets(fileURLToPath(new URL('../public', import.meta.url)));
// Ctrl-C / SIGTERM: stop polling, drain the receipt handlers, close the HTTP server, then exit.
app.enableShutdownHooks();

const config = app.get<SampleConfig>(sampleConfig.KEY);
await app.listen(config.port, config.host);
const url = (await app.getUrl()).replace('[::1]', 'localhost');
const receipts = config.receipts ? config.receipts.via.toUpperCase() : 'OFF';
new Logger('Sample').log(`Open ${url}/ (mode: ${config.mode.toUpperCase()}, receipts: ${receipts}). Press Ctrl-C to stop.`);
