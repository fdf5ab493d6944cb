// The public POP RPC signature examples of PROTOCOL.md §2.4. The client's signer and the
// emulator's verifier are written independently; both are pinned to these.

/** A worked example: parameters (without Signature), secret, and the expected results. */
export interface PopSignatureVector {
  parameters: Readonly<Record<string, string>>;
  secret: string;
  stringToSign: string;
  signature: string;
}

/** Alibaba's RPC walk-through (ECS, parameter spelled `TimeStamp`), GET. */
export const POP_WALKTHROUGH: PopSignatureVector = {
  parameters: {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    TimeStamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26',
  },
  secret: 'testsecret',
  stringToSign:
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
  signature: 'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
};

/** SendSms with a Chinese signature and JSON template variables, produced by pop-core 1.8.0, GET. */
export const POP_SEND_SMS: PopSignatureVector = {
  parameters: {
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
  secret: 'docExampleSecret',
  stringToSign:
    'GET&%2F&AccessKeyId%3DLTAIdocExampleKey%26Action%3DSendSms%26Format%3DJSON%26PhoneNumbers%3D13912345678%26SignName%3D%25E7%25A4%25BA%25E4%25BE%258B%25E7%25AD%25BE%25E5%2590%258D%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_100000001%26TemplateParam%3D%257B%2522code%2522%253A%25229527%2522%257D%26Timestamp%3D2023-03-15T06%253A07%253A08Z%26Version%3D2017-05-25',
  signature: 'h5Rny7tjpIDosMcZzv4oy9Hb0Jc=',
};
