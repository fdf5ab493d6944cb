// The SendSms clients measured against the same emulator. Each `make(coords)` returns
// { send(i) → Promise<RequestId>, close() }; the RequestId lets sends.mjs pair every call with the
// emulator's own answering time for that request.
//   ours           SmsService.sendSms in a Nest application context (defaults);
//   official       @alicloud/sms-sdk@1.1.6 sendSMS;
//   bare-undici    the floor: a hand-signed SendSms over undici's Agent.dispatch(), no validation,
//                  no error mapping — what an HTTP request alone costs with our HTTP library;
//   bare-node-http the same over node:http with a keep-alive Agent.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Agent } from 'undici';
import { officialClient } from './contenders.mjs';
import { loadLib, libDir } from './lib.mjs';

const lib = await loadLib();
const { signRpcParameters } = await import(new URL('rpc/pop-signature.js', libDir()).href);
const { Module } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');

export const SIGN_NAME = '阿里云短信测试';
export const TEMPLATE_CODE = 'SMS_154950909';

export function phone(i) {
  return `138${String(i % 100000000).padStart(8, '0')}`;
}

function templateParam(i) {
  return { code: String(100000 + i) };
}

/** A signed SendSms form body, as any POP client builds it. */
function signedSendSms(coords, i) {
  const params = {
    Action: 'SendSms',
    Version: '2017-05-25',
    Format: 'JSON',
    AccessKeyId: coords.credentials.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    PhoneNumbers: phone(i),
    SignName: SIGN_NAME,
    TemplateCode: TEMPLATE_CODE,
    TemplateParam: JSON.stringify(templateParam(i)),
  };
  return signRpcParameters('POST', params, coords.credentials.accessKeySecret).encoded;
}

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

function requestIdOf(text) {
  const body = JSON.parse(text);
  if (body.Code !== 'OK') throw new Error(`send failed: ${body.Code}`);
  return body.RequestId;
}

export const sendContenders = {
  ours: {
    label: 'ours (SmsService.sendSms)',
    async make(coords) {
      class SendModule {}
      Module({ imports: [lib.AlicomSmsModule.forRoot({ ...coords.credentials, endpoints: coords.endpoints })] })(SendModule);
      const app = await NestFactory.createApplicationContext(SendModule, { logger: ['error', 'warn'] });
      await app.init();
      const sms = app.get(lib.SmsService);
      return {
        send: async (i) => (await sms.sendSms({ phoneNumbers: phone(i), signName: SIGN_NAME, templateCode: TEMPLATE_CODE, templateParam: templateParam(i) })).requestId,
        close: () => app.close(),
      };
    },
  },
  official: {
    label: 'official SDK (sendSMS)',
    async make(coords) {
      const client = officialClient(coords);
      return {
        send: async (i) => {
          const res = await client.sendSMS({ PhoneNumbers: phone(i), SignName: SIGN_NAME, TemplateCode: TEMPLATE_CODE, TemplateParam: JSON.stringify(templateParam(i)) });
          if (res.Code !== 'OK') throw new Error(`official send failed: ${res.Code}`);
          return res.RequestId;
        },
        close: async () => {},
      };
    },
  },
  'bare-undici': {
    label: 'floor: bare undici dispatch()',
    async make(coords) {
      const agent = new Agent({ keepAliveTimeout: 4_000 });
      const send = (i) =>
        new Promise((resolve, reject) => {
          const chunks = [];
          agent.dispatch(
            { origin: coords.url, path: '/', method: 'POST', headers: FORM_HEADERS, body: signedSendSms(coords, i) },
            {
              onRequestStart: () => {},
              onResponseData: (_c, chunk) => chunks.push(chunk),
              onResponseEnd: () => {
                try {
                  resolve(requestIdOf(Buffer.concat(chunks).toString('utf8')));
                } catch (error) {
                  reject(error);
                }
              },
              onResponseError: (_c, error) => reject(error),
            },
          );
        });
      return { send, close: () => agent.close() };
    },
  },
  'bare-node-http': {
    label: 'floor: bare node:http',
    async make(coords) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1_000 });
      const { hostname, port } = new URL(coords.url);
      const send = (i) =>
        new Promise((resolve, reject) => {
          const body = signedSendSms(coords, i);
          const req = http.request(
            { host: hostname, port, path: '/', method: 'POST', agent, headers: { ...FORM_HEADERS, 'content-length': Buffer.byteLength(body) } },
            (res) => {
              const chunks = [];
              res.on('data', (chunk) => chunks.push(chunk));
              res.on('end', () => {
                try {
                  resolve(requestIdOf(Buffer.concat(chunks).toString('utf8')));
                } catch (error) {
                  reject(error);
                }
              });
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      return { send, close: async () => agent.destroy() };
    },
  },
};
