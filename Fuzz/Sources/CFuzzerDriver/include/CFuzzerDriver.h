#pragma once
// libFuzzer's driver (compiler-rt FuzzerInterface.h). SwiftPM links an executable target with
// `--defsym main=<Target>_main`, so each fuzz target defines <Target>_main and calls this itself, instead of the
// `main` that libFuzzer would otherwise provide.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
