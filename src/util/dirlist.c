/* Sorted directory listings (see dirlist.h). */
#include "util/dirlist.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xalloc.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dirlist_read(const char *dir, bool hidden, size_t *n)
{
	DIR *dp = opendir(dir);
	*n = 0;
	if (!dp)
		return NULL;
	char **names = xcalloc(1, sizeof *names);
	size_t cap = 1;
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || (!hidden && name[0] == '.'))
			continue;
		xgrow((void **)&names, &cap, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(name);
	}
	closedir(dp);
	if (*n > 1)
		qsort(names, *n, sizeof *names, cmp_names);
	return names;
}

void dirlist_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

uint64_t dirlist_files_bytes(const char *const *paths, size_t n, uint64_t enough)
{
	uint64_t bytes = 0;
	struct stat st;
	for (size_t i = 0; i < n && bytes < enough; i++)
		if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode))
			bytes += (uint64_t)st.st_size;
	return bytes;
}
