/*
 * The entry point every fuzz target defines. The same object file links either with
 * libFuzzer (-fsanitize=fuzzer) or with replay.c, which runs it over files in make test.
 */
#ifndef MG_FUZZ_FUZZ_H
#define MG_FUZZ_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
