// util.inspect (depth 50, showHidden) of CompensationSweeper shows no secret while receipts are polled and a
// send is in flight. See test/support/secret-inspection.ts.
import 'reflect-metadata';
import { describeInspection } from './support/secret-inspection.js';

describeInspection(['CompensationSweeper']);
