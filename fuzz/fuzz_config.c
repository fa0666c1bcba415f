/*
 * Fuzz target: the configuration loader. config_load reads a path, so each input is written
 * to one temporary file first (created once per process, removed at exit).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/config.h"
#include "fuzz.h"
#include "util/diag.h"

/* The temporary file, created on the first input: a fuzz process has one. */
static char tmp_path[] = "/tmp/moongate-fuzz-config-XXXXXX";
static int tmp_fd = -1;

static void remove_tmp(void)
{
	unlink(tmp_path);
}

static bool write_input(const uint8_t *data, size_t size)
{
	if (tmp_fd < 0) {
		tmp_fd = mkstemp(tmp_path);
		if (tmp_fd < 0)
			return false;
		atexit(remove_tmp);
	}
	if (ftruncate(tmp_fd, 0) != 0 || lseek(tmp_fd, 0, SEEK_SET) != 0)
		return false;
	for (size_t done = 0; done < size;) {
		ssize_t n = write(tmp_fd, data + done, size - done);
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!write_input(data, size))
		abort();
	struct config c;
	struct diags d = DIAGS_INIT;
	config_init(&c);
	bool ok = config_load(&c, tmp_path, &d);
	if (!ok && diags_count(&d, DIAG_USAGE) == 0)
		abort(); /* a refused config must say why */
	for (size_t i = 0; i < d.n; i++)
		free(diag_format(&d.v[i]));
	config_free(&c);
	diags_free(&d);
	return 0;
}
