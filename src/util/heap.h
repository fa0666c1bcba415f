/*
 * Huge pages for the C heap of big runs. On virtual machines a first touch of a 4 KiB page
 * costs ten microseconds or more (bench/README.md), and glibc's malloc backs its heaps with
 * transparent huge pages only when the tunable glibc.malloc.hugetlb=1 was set as the process
 * started (GLIBC_TUNABLES), which a running process cannot change. So when the files named on
 * the command line add up to HEAP_HUGE_MIN bytes or more and the system gives huge pages only
 * on request (transparent_hugepage/enabled is "madvise"), moongate starts itself again with
 * the tunable added, before doing anything else. On the 83 MB benchmark plan this takes a
 * fifth off the wall time; a one-file pre-commit run never pays the second start.
 *
 * GLIBC_TUNABLES that names glibc.malloc.hugetlb already (=0 turns this off) is left as it
 * is; so is a failed exec (the run goes on as it is).
 */
#ifndef MG_UTIL_HEAP_H
#define MG_UTIL_HEAP_H
#include <stdbool.h>
#include <stdint.h>

#define HEAP_HUGE_MIN ((uint64_t)4 << 20)
#define HEAP_TUNABLE "glibc.malloc.hugetlb"

/* Whether to start again: thp is the text of /sys/kernel/mm/transparent_hugepage/enabled
 * (NULL: unknown), tunables the GLIBC_TUNABLES value (NULL: unset), bytes the size of the
 * named files. */
bool heap_wants_restart(const char *thp, const char *tunables, uint64_t bytes);

/* The GLIBC_TUNABLES value with HEAP_TUNABLE=1 added (newly allocated). */
char *heap_tunables(const char *tunables);

/* Starts the program again with huge-page heaps when heap_wants_restart says so; returns
 * only when it does not (or the exec failed). Call first thing in main. */
void heap_setup(int argc, char **argv);

#endif
