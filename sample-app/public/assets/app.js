// The sample's page: plain browser JavaScript, no build step. It talks to the sample's endpoints:
// POST /sms, GET /sms/:bizId/report, GET /sms/details, GET /events (SSE), GET /health, GET /info.
// Every value from the server is written with textContent, never as HTML (replies are user text).
'use strict';

const $ = (id) => document.getElementById(id);

/** Sets a badge's text and colour class (ok | bad | wait | info). */
function badge(element, text, kind, title) {
  element.textContent = text;
  element.className = `badge ${kind ?? ''}`;
  if (title !== undefined) element.title = title;
}

function showResult(element, text, kind) {
  element.textContent = text;
  element.className = `result ${kind ?? ''}`;
}

/** Fetches JSON; resolves `{ ok, status, body }` whatever the status. */
async function fetchJson(url, init) {
  const response = await fetch(url, init);
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

/** "400 Bad Request: phoneNumber: is required" plus, for Alibaba errors, code / RequestId / resendSafe. */
function describeError({ status, body }) {
  const lines = [`${status} ${body.error ?? ''}: ${body.message ?? ''}`.trim()];
  if (body.code) lines.push(`code: ${body.code}`);
  if (body.requestId) lines.push(`requestId: ${body.requestId}`);
  if (body.resendSafe !== undefined) lines.push(`resendSafe: ${body.resendSafe}`);
  return lines.join('\n');
}

// --- mode and form defaults ------------------------------------------------------------------

async function loadInfo() {
  const { body } = await fetchJson('/info');
  const emulator = body.mode === 'emulator';
  badge($('mode'), emulator ? 'EMULATOR' : 'ALIBABA CLOUD', emulator ? 'info' : 'wait',
    emulator ? 'Everything runs in-process; no SMS leaves this machine.' : 'Real SMS are sent and billed.');
  const receipts = {
    mns: ['receipts via MNS queue', 'Pulled from the Alicom MNS queues (long polling).'],
    push: ['receipts via HTTP push', 'Alibaba POSTs them to this app (HTTP 批量推送); the module answers {"code":0}.'],
    off: ['receipts off', 'Set ALICOM_QUEUE_PREFIX, or ALICOM_RECEIPTS=push with ALICOM_PUSH_SECRET.'],
  }[body.receipts] ?? ['receipts ?', ''];
  badge($('receipts'), receipts[0], body.receipts === 'off' ? 'wait' : 'info', receipts[1]);
  $('simulation').hidden = !emulator;
  $('signName').textContent = body.defaults?.signName ?? '(set ALICOM_SIGN_NAME)';
  $('templateCode').textContent = body.defaults?.templateCode ?? '(set ALICOM_TEMPLATE_CODE)';
  if (body.defaults?.phoneNumber) {
    $('phoneNumber').value = body.defaults.phoneNumber;
    $('details-phone').value = body.defaults.phoneNumber;
  }
}

// --- sending and waiting for the report ------------------------------------------------------

function readSendForm() {
  const body = { phoneNumber: $('phoneNumber').value.trim() };
  const variables = $('templateParam').value.trim();
  if (variables !== '') {
    try {
      body.templateParam = JSON.parse(variables);
    } catch {
      throw new Error('Template variables must be JSON, e.g. {"code": "123456"}');
    }
  }
  const outId = $('outId').value.trim();
  if (outId !== '') body.outId = outId;
  if (!$('simulation').hidden) {
    const reply = $('reply').value.trim();
    body.simulate = { outcome: $('outcome').value, ...(reply === '' ? {} : { reply }) };
  }
  return body;
}

async function onSend(event) {
  event.preventDefault();
  const result = $('send-result');
  let body;
  try {
    body = readSendForm();
  } catch (error) {
    showResult(result, error.message, 'bad');
    return;
  }
  $('send').disabled = true;
  try {
    const sent = await fetchJson('/sms', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!sent.ok) {
      showResult(result, describeError(sent), 'bad');
      return;
    }
    const { bizId, phoneNumber, outId } = sent.body;
    result.dataset.bizid = bizId;
    showResult(result, `Accepted: bizId ${bizId} (outId ${outId})\nWaiting for the report (waitForReport)…`, 'ok');
    void awaitReport(bizId, phoneNumber, outId);
  } finally {
    $('send').disabled = false;
  }
}

/** GET /sms/:bizId/report: resolves when the final report arrived, from MNS or back-filled. */
async function awaitReport(bizId, phoneNumber, outId) {
  const result = $('send-result');
  const query = new URLSearchParams({ phone: phoneNumber, timeoutMs: '60000' });
  const answer = await fetchJson(`/sms/${encodeURIComponent(bizId)}/report?${query}`);
  if (result.dataset.bizid !== bizId) return; // another send replaced this one
  if (answer.ok) {
    const report = answer.body;
    const outcome = report.success ? 'delivered' : `failed: ${report.errCode} ${report.errMsg}`;
    showResult(result, `Accepted: bizId ${bizId} (outId ${outId})\nReport (${report.source}): ${outcome}`, report.success ? 'ok' : 'bad');
  } else {
    showResult(result, `Accepted: bizId ${bizId} (outId ${outId})\nNo report: ${describeError(answer)}`, 'bad');
  }
}

// --- QuerySendDetails ------------------------------------------------------------------------

async function onDetails(event) {
  event.preventDefault();
  const query = new URLSearchParams({ phone: $('details-phone').value.trim() });
  if ($('details-date').value) query.set('date', $('details-date').value);
  const answer = await fetchJson(`/sms/details?${query}`);
  const result = $('details-result');
  if (!answer.ok) {
    showResult(result, describeError(answer), 'bad');
    return;
  }
  const lines = answer.body.details.map((d) =>
    `${new Date(d.sendDate).toLocaleTimeString()}  ${d.status.padEnd(9)} ${d.errCode || '-'}  ${d.outId ?? ''}\n   ${d.content}`);
  showResult(result, lines.length ? lines.join('\n') : 'No records for that number and day.', '');
}

// --- live events over SSE --------------------------------------------------------------------

const seen = new Set();
const EVENT_LABELS = { sent: 'sent', report: 'report', reply: 'reply', error: 'receipt problem' };

function cell(row, text, className) {
  const td = row.insertCell();
  if (className) td.className = className;
  const span = document.createElement('span');
  span.textContent = text ?? '';
  td.append(span);
  return span;
}

function addEventRow(event) {
  if (seen.has(event.id)) return; // the replay and the live stream may overlap
  seen.add(event.id);
  $('events-empty').hidden = true;
  const row = $('events').insertRow(0);
  row.className = 'fresh';
  row.dataset.id = event.id;
  row.dataset.type = event.type;
  row.dataset.source = event.source;
  row.dataset.status = event.status;
  if (event.bizId) row.dataset.bizid = event.bizId;
  cell(row, new Date(event.time).toLocaleTimeString());
  cell(row, EVENT_LABELS[event.type] ?? event.type);
  cell(row, event.source, 'source').className = `source-${event.source}`;
  cell(row, event.status, 'status').className = `status-${event.status}`;
  cell(row, event.phoneNumber, 'mono');
  cell(row, event.bizId, 'mono');
  cell(row, event.outId, 'mono');
  // Back-filled reports carry no carrier text: their errMsg repeats the code.
  const detail = event.detail === event.errCode ? undefined : event.detail;
  cell(row, [event.errCode, event.content ?? detail].filter(Boolean).join(' '));
}

function connectEvents() {
  const source = new EventSource('/events');
  source.onopen = () => badge($('stream'), 'events: live', 'ok');
  source.onerror = () => badge($('stream'), 'events: reconnecting…', 'wait');
  source.onmessage = (message) => addEventRow(JSON.parse(message.data));
}

// --- listener health -------------------------------------------------------------------------

async function pollHealth() {
  try {
    const { body } = await fetchJson('/health');
    const entry = body.info?.['alicom-sms'] ?? body.error?.['alicom-sms'];
    if (!entry) {
      badge($('health'), 'health: unknown', 'wait');
      return;
    }
    const push = entry.push;
    const counters = push
      ? `pushed: handled ${push.handled}, duplicates dropped ${push.duplicates}, requests acknowledged ${push.acknowledged}, retries asked ${push.retryRequested}, refused ${push.forbidden + push.invalidBodies}`
      : `handled ${entry.handled}, duplicates dropped ${entry.duplicates ?? 0}, deleted ${entry.deleted}, in flight ${entry.inFlight}, poisoned ${entry.poisoned}`;
    if (entry.status === 'up') badge($('health'), `receipts: up (${counters})`, 'ok', JSON.stringify(entry, null, 2));
    else badge($('health'), `receipts: down, ${entry.message}`, 'bad', JSON.stringify(entry, null, 2));
  } catch {
    badge($('health'), 'health: server unreachable', 'bad');
  }
}

// --- start -----------------------------------------------------------------------------------

$('send-form').addEventListener('submit', onSend);
$('details-form').addEventListener('submit', onDetails);
void loadInfo();
connectEvents();
void pollHealth();
setInterval(pollHealth, 3000);
