// Bounds of `maxResponseBytes`, the cap on every response body the module reads.
//
// The largest legitimate answers: a BatchReceiveMessage of 16 Alicom receipts is a few tens of KB
// (each receipt is under 3 KB of Base64; MNS allows at most 64 KB per message, so 16 × 64 KB =
// 1 MiB is the theoretical ceiling), a QuerySendDetails page of 50 records with 500-character texts
// about 100 KB. The default leaves four times the theoretical ceiling; the minimum still holds a
// full QuerySendDetails page, the maximum keeps a hostile answer from taking the heap.

/** Default cap on a response body, in bytes (4 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Smallest allowed `maxResponseBytes` (256 KiB). */
export const MIN_MAX_RESPONSE_BYTES = 256 * 1024;
/** Largest allowed `maxResponseBytes` (64 MiB). */
export const MAX_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
