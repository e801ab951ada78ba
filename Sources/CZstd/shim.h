#pragma once
// Local umbrella header: keep absolute paths out of the module map. Zstandard (Arrow's ZSTD codec).
#include <zstd.h>
