#pragma once
// Inline C for the Kernels module, what Swift cannot say itself. Provides no stable API.

/// Asks the cache to start loading the line at `address` (no fault on any address: a hint only).
static inline __attribute__((__always_inline__)) void _kernels_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
