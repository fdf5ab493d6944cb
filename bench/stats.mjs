// Small statistics and formatting helpers shared by the scenarios.
import { cpus, loadavg } from 'node:os';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Nearest-rank percentile of an unsorted list. */
export function percentile(values, p) {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values.length, values };
}

export function cpuMicros(delta) {
  return delta.user + delta.system;
}

export function fmt(value, digits = 0) {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtSummary(s, digits = 0) {
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

export function machine() {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function gcNow() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    await sleep(10);
    globalThis.gc();
  }
}
