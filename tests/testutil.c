/* Helpers shared by the unit tests (see testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xalloc.h"

const char *testutil_corpus(void)
{
	static int warned;
	const char *dir = getenv("MOONGATE_CORPUS");
	struct stat st;
	if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return dir;
	if (!warned++)
		fprintf(stderr, "SKIPPED: the shared corpus (../shared/corpus) is absent; "
		                "corpus tests do not run in this checkout\n");
	return NULL;
}

const char *testutil_source_dir(void)
{
	const char *dir = getenv("MOONGATE_SOURCE_DIR");
	return dir ? dir : ".";
}

char *testutil_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = xmalloc((size_t)n + 1);
	size_t got = fread(p, 1, (size_t)n, f);
	fclose(f);
	p[got] = '\0';
	if (len)
		*len = got;
	return p;
}

char *testutil_join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}
