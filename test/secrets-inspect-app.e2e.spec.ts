// util.inspect (depth 50, showHidden) of CompensationSweeper and of the whole app shows no secret
// while receipts are polled and a send is in flight. See test/support/secret-inspection.ts.
import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import { closeHarness, forRootHarness, inspectTargets, type Harness } from './support/secret-inspection.js';

describe('secrets and util.inspect: CompensationSweeper and the app itself (forRoot)', () => {
  let h: Harness;
  before(async () => {
    h = await forRootHarness();
  });
  after(() => closeHarness(h));

  it('shows no secret in CompensationSweeper or the app (TestingModule, i.e. the whole container)', async () => {
    await inspectTargets(h, ['CompensationSweeper', 'the app (TestingModule)']);
  });
});
