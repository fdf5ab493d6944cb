// Public entry of `nestjs-alicom-sms/terminus`: health indicators for @nestjs/terminus (an optional
// peer dependency, imported only below this folder).
import '../loaded-copies.js';
export { AlicomSmsHealthIndicator } from './alicom-sms.health-indicator.js';
export type { AlicomSmsHealthOptions } from './alicom-sms-health-options.interface.js';
