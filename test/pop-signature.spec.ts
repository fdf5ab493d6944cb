import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalizeRpcParameters, popPercentEncode, rpcSignature, rpcStringToSign, signRpcParameters } from '../lib/rpc/pop-signature.js';

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
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      TimeStamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    const sts = rpcStringToSign('GET', canonicalizeRpcParameters(params));
    assert.equal(
      sts,
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
    assert.equal(rpcSignature(sts, 'testsecret'), 'CT9X0VtwR86fNWSnsc6v8YGOjuE=');
  });

  it('reproduces the pop-core SendSms vector with Chinese text and JSON (h5Rny7tjpIDosMcZzv4oy9Hb0Jc=)', () => {
    const signed = signRpcParameters(
      'GET',
      {
        AccessKeyId: 'LTAIdocExampleKey',
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: '13912345678',
        SignName: '示例签名',
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: '1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b',
        SignatureVersion: '1.0',
        TemplateCode: 'SMS_100000001',
        TemplateParam: '{"code":"9527"}',
        Timestamp: '2023-03-15T06:07:08Z',
        Version: '2017-05-25',
      },
      'docExampleSecret',
    );
    assert.equal(
      signed.stringToSign,
      'GET&%2F&AccessKeyId%3DLTAIdocExampleKey%26Action%3DSendSms%26Format%3DJSON%26PhoneNumbers%3D13912345678%26SignName%3D%25E7%25A4%25BA%25E4%25BE%258B%25E7%25AD%25BE%25E5%2590%258D%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_100000001%26TemplateParam%3D%257B%2522code%2522%253A%25229527%2522%257D%26Timestamp%3D2023-03-15T06%253A07%253A08Z%26Version%3D2017-05-25',
    );
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
