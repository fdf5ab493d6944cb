// SecretScrubber: the forms a reflected secret takes in a server's answer, and what must survive.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { SecretScrubber } from '../lib/utils/secret-scrubber.js';

const TOKEN = 'CAIS+Ab/Cd=Ef+Gh/Ij+Kl/Mn==Op9Qr8St7Uv6';

describe('SecretScrubber', () => {
  const scrubber = new SecretScrubber([TOKEN, 'tiny']);

  const echoes: Array<[string, string]> = [
    ['raw', TOKEN],
    ['percent-encoded once', encodeURIComponent(TOKEN)],
    ['percent-encoded twice (a string to sign)', encodeURIComponent(encodeURIComponent(TOKEN))],
    ['lower-case hex', encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['JSON-escaped slashes', TOKEN.replace(/\//g, '\\/')],
    ['cut short', TOKEN.slice(0, 20)],
    ['its tail', TOKEN.slice(-15)],
    ['glued to other text', `xyz${TOKEN.slice(3, 30)}abc`],
  ];
  for (const [form, echo] of echoes) {
    it(`removes the secret ${form}`, () => {
      const text = scrubber.scrub(`Message: the token ${echo} is not valid (RequestId 5F3A1B2C).`);
      assert.ok(!text.includes(echo), text);
      assert.match(text, /^Message: the token \*\*\* is not valid \(RequestId 5F3A1B2C\)\.$/);
    });
  }

  it('removes the values of credential fields it never learned', () => {
    const text = scrubber.scrub('{"AccessKeySecret":"unknown-secret-value","SecurityToken":"CAISunknown"} SecurityToken%3DCAIS%2Bzz&x=1 security-token: abc');
    assert.ok(!/unknown-secret-value|CAISunknown|CAIS%2Bzz|abc$/.test(text), text);
  });

  it('keeps ordinary text, and too short values are not treated as secrets', () => {
    const text = 'SendSms failed: isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1 (HTTP 200, RequestId F655A8D5-B967-440B-8683-DAD6FF8DE990). tiny';
    assert.equal(scrubber.scrub(text), text);
  });

  it('learns secrets later, remembers a bounded number, and scrubs per-call extras', () => {
    const learning = new SecretScrubber([], 2);
    learning.learn('Q1w2E3r4T5y6U7i8O9p0');
    learning.learn('A1s2D3f4G5h6J7k8L9z0');
    learning.learn('Z9x8C7v6B5n4M3q2W1e0');
    assert.equal(learning.scrub('Q1w2E3r4T5y6U7i8O9p0'), 'Q1w2E3r4T5y6U7i8O9p0', 'the oldest was forgotten');
    assert.equal(learning.scrub('Z9x8C7v6B5n4M3q2W1e0'), '***');
    assert.equal(learning.scrub('per-call-secret-value!', ['per-call-secret-value']), '***!');
    assert.equal(inspect(learning, { depth: 50, showHidden: true }), 'SecretScrubber { known: 2 }');
  });
});
