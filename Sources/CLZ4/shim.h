#pragma once
// Local umbrella header: keep absolute paths out of the module map. LZ4 frame format (Arrow's LZ4_FRAME codec).
#include <lz4frame.h>
