// Everything is inline in include/_KernelShims.h; SwiftPM wants one source file per C target.
#include "_KernelShims.h"
