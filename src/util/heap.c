/* Restarting with huge-page heaps for big inputs (see heap.h). */
#define _DEFAULT_SOURCE /* setenv */
#include "util/heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/auxv.h>
#endif

#include "util/dirlist.h"
#include "util/xalloc.h"

bool heap_wants_restart(const char *thp, const char *tunables, uint64_t bytes)
{
	return bytes >= HEAP_HUGE_MIN && thp && strstr(thp, "[madvise]") &&
	       !(tunables && strstr(tunables, HEAP_TUNABLE));
}

char *heap_tunables(const char *tunables)
{
	const char *add = HEAP_TUNABLE "=1";
	if (!tunables || !*tunables)
		return xstrdup(add);
	size_t n = strlen(tunables) + strlen(add) + 2;
	char *v = xmalloc(n);
	snprintf(v, n, "%s:%s", tunables, add);
	return v;
}

/* The bytes of the regular files among the arguments that are not options. */
static uint64_t named_bytes(int argc, char **argv)
{
	const char **v = xmalloc((size_t)argc * sizeof *v);
	size_t n = 0;
	for (int i = 1; i < argc; i++)
		if (argv[i][0] != '-')
			v[n++] = argv[i];
	uint64_t bytes = dirlist_files_bytes(v, n, HEAP_HUGE_MIN);
	free(v);
	return bytes;
}

static bool read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(out, (int)len, f) != NULL;
	fclose(f);
	return ok;
}

void heap_setup(int argc, char **argv)
{
#if defined(__GLIBC__) && defined(__linux__)
	char thp[128];
	uint64_t bytes = named_bytes(argc, argv);
	if (bytes < HEAP_HUGE_MIN || getauxval(AT_SECURE) ||
	    !read_line("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof thp))
		return;
	const char *old = getenv("GLIBC_TUNABLES");
	if (!heap_wants_restart(thp, old, bytes))
		return;
	char *saved = old ? xstrdup(old) : NULL;
	char *value = heap_tunables(old);
	if (setenv("GLIBC_TUNABLES", value, 1) == 0)
		execv("/proc/self/exe", argv);
	if (saved) /* the exec failed: the run goes on unchanged */
		setenv("GLIBC_TUNABLES", saved, 1);
	else
		unsetenv("GLIBC_TUNABLES");
	free(saved);
	free(value);
#else
	(void)argc;
	(void)argv;
#endif
}
