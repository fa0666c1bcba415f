/*
 * Runs a fuzz target's LLVMFuzzerTestOneInput over files, without libFuzzer: every argument
 * is a file or a directory (its regular files, not recursively); "-" reads a list of file
 * names, one a line, from standard input. "-p N" before the files puts the byte N in front of
 * each following input (the pipeline target's file-name byte). make test uses it to replay
 * the seeds and every input that once crashed. Exits 0 after running all inputs; a crash or
 * abort inside the target is the failure.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util/xalloc.h"

static int prefix = -1; /* the -p byte, or -1 */

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: cannot open\n", path);
		return 1;
	}
	size_t cap = 4096, len = 0;
	unsigned char *data = xmalloc(cap);
	if (prefix >= 0)
		data[len++] = (unsigned char)prefix;
	size_t n;
	while ((n = fread(data + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap)
			data = xrealloc(data, cap *= 2);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir in name order; returns the number of inputs run. */
static size_t run_dir(const char *dir, int *failures)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: %s: cannot open directory\n", dir);
		(*failures)++;
		return 0;
	}
	char **names = NULL;
	size_t nnames = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		xgrow((void **)&names, &cap, nnames + 1, sizeof *names);
		names[nnames++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (nnames)
		qsort(names, nnames, sizeof *names, compare_names);
	size_t ran = 0;
	for (size_t i = 0; i < nnames; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			*failures += run_file(names[i]);
			ran++;
		}
		free(names[i]);
	}
	free(names);
	return ran;
}

/* Runs every file named on a line of standard input. */
static size_t run_list(int *failures)
{
	char line[4096];
	size_t ran = 0;
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0]) {
			*failures += run_file(line);
			ran++;
		}
	}
	return ran;
}

int main(int argc, char **argv)
{
	int failures = 0;
	size_t ran = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
			prefix = atoi(argv[++i]) & 0xff;
		} else if (strcmp(argv[i], "-") == 0) {
			ran += run_list(&failures);
		} else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			ran += run_dir(argv[i], &failures);
		} else {
			failures += run_file(argv[i]);
			ran++;
		}
	}
	printf("replay: %zu inputs, %d unreadable\n", ran, failures);
	return failures ? 1 : 0;
}
