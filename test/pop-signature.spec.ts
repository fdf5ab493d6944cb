import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalizeRpcParameters, popPercentEncode, rpcSignature, rpcStringToSign, signRpcParameters } from '../lib/rpc/pop-signature.js';
import { POP_SEND_SMS, POP_WALKTHROUGH } from './support/pop-signature-vectors.js';

describe('POP RPC signature (PROTOCOL.md §2)', () => {
  it('percent-encodes per POP rules', () => {
    assert.equal(popPercentEncode('a b*c~d'), 'a%20b%2Ac~d');
    assert.equal(popPercentEncode("+/:=&'()!^,"), '%2B%2F%3A%3D%26%27%28%29%21%5E%2C');
    assert.equal(popPercentEncode('阿'), '%E9%98%BF');
    assert.equal(popPercentEncode('😀'), '%F0%9F%98%80');
    assert.equal(popPercentEncode('\n'), '%0A');
    assert.equal(popPercentEncode('-_.~AZaz09'), '-_.~AZaz09');
  });

  it("reproduces Alibaba's public walk-through (CT9X0VtwR86fNWSnsc6v8YGOjuE=)", () => {
    const sts = rpcStringToSign('GET', canonicalizeRpcParameters(POP_WALKTHROUGH.parameters));
    assert.equal(sts, POP_WALKTHROUGH.stringToSign);
    assert.equal(rpcSignature(sts, POP_WALKTHROUGH.secret), 'CT9X0VtwR86fNWSnsc6v8YGOjuE=');
  });

  it('reproduces the pop-core SendSms vector with Chinese text and JSON (h5Rny7tjpIDosMcZzv4oy9Hb0Jc=)', () => {
    const signed = signRpcParameters('GET', POP_SEND_SMS.parameters, POP_SEND_SMS.secret);
    assert.equal(signed.stringToSign, POP_SEND_SMS.stringToSign);
    assert.equal(signed.signature, 'h5Rny7tjpIDosMcZzv4oy9Hb0Jc=');
    assert.ok(signed.encoded.endsWith('&Signature=h5Rny7tjpIDosMcZzv4oy9Hb0Jc%3D'));
  });

  it('sorts names by code unit (upper case before lower case) and never signs Signature itself', () => {
    assert.equal(canonicalizeRpcParameters({ b: '1', B: '2', a: '3', Signature: 'x' }), 'B=2&a=3&b=1');
  });

  it('signs POST differently from GET', () => {
    const params = { A: '1' };
    assert.notEqual(signRpcParameters('GET', params, 's').signature, signRpcParameters('POST', params, 's').signature);
    assert.ok(signRpcParameters('POST', params, 's').stringToSign.startsWith('POST&%2F&'));
  });
});
