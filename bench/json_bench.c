/*
 * Times the JSON front end on one file: reading it (text_read), validating it
 * (json_validate) and building the node tape (json_parse). Each step runs several times and
 * the median is printed, in MB/s (10^6 bytes per second of input).
 *
 * Usage: json_bench FILE [RUNS]     (generate a plan with bench/gen_plan.py)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load/docpos.h"
#include "load/json.h"
#include "load/text.h"

#define MAX_RUNS 101

/* Wall-clock and CPU seconds (the machine may be shared: CPU time is the steadier one). */
struct stamp {
	double wall, cpu;
};

static struct stamp now(void)
{
	struct timespec w, c;
	clock_gettime(CLOCK_MONOTONIC, &w);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
	return (struct stamp){(double)w.tv_sec + (double)w.tv_nsec / 1e9,
	                      (double)c.tv_sec + (double)c.tv_nsec / 1e9};
}

/* Times of one step over the runs. */
struct timing {
	double wall[MAX_RUNS], cpu[MAX_RUNS];
};

static void record(struct timing *t, int run, struct stamp since)
{
	struct stamp s = now();
	t->wall[run] = s.wall - since.wall;
	t->cpu[run] = s.cpu - since.cpu;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void report(const char *step, struct timing *t, int runs, size_t bytes)
{
	double wall = median(t->wall, runs), cpu = median(t->cpu, runs);
	printf("%-22s %7.4f s %6.0f MB/s   cpu %7.4f s %6.0f MB/s\n", step, wall,
	       (double)bytes / 1e6 / wall, cpu, (double)bytes / 1e6 / cpu);
}

/* One read of the file; exits on error. */
static void read_once(const char *path, struct doc_source *src)
{
	char err[256];
	memset(src, 0, sizeof *src);
	if (!text_read(src, path, (size_t)1 << 32, err, sizeof err)) {
		fprintf(stderr, "json_bench: cannot read '%s': %s\n", path, err);
		exit(1);
	}
}

static void fail_parse(struct doc *doc, const struct json_error *err)
{
	unsigned line, col;
	doc_position(doc, err->pos, &line, &col);
	fprintf(stderr, "json_bench: %u:%u: %s\n", line, col, err->message);
	exit(1);
}

/* Runs json_parse `runs` times on fresh docs (the tape memory is new each time, as in a real
 * run) and then `runs` times on one doc whose node array is kept (the parser alone). */
static void time_parse(const char *path, struct doc_source *src, int runs,
                       struct timing *fresh, struct timing *reused, struct doc *doc)
{
	struct json_error err;
	for (int r = 0; r < runs; r++) {
		doc_init(doc, path);
		doc->src.data = src->data;
		doc->src.len = src->len;
		struct stamp t0 = now();
		bool ok = json_parse(doc, NULL, &err);
		record(fresh, r, t0);
		if (!ok)
			fail_parse(doc, &err);
		if (r + 1 < runs) {
			doc->src.data = NULL; /* the buffer is reused by the next run */
			doc_free(doc);
		}
	}
	for (int r = 0; r < runs; r++) {
		struct stamp t0 = now();
		json_parse(doc, NULL, &err);
		record(reused, r, t0);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: json_bench FILE [RUNS]\n");
		return 2;
	}
	int runs = argc == 3 ? atoi(argv[2]) : 5;
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	static struct timing t_read, t_validate, t_fresh, t_reused;
	struct doc_source src;
	struct json_error err;
	for (int r = 0; r < runs; r++) {
		struct stamp t0 = now();
		read_once(argv[1], &src);
		record(&t_read, r, t0);
		if (r + 1 < runs)
			free(src.data);
	}
	for (int r = 0; r < runs; r++) {
		struct stamp t0 = now();
		bool ok = json_validate(src.data, src.len, NULL, &err);
		record(&t_validate, r, t0);
		if (!ok) {
			fprintf(stderr, "json_bench: offset %u: %s\n", err.pos, err.message);
			return 1;
		}
	}
	struct doc doc;
	time_parse(argv[1], &src, runs, &t_fresh, &t_reused, &doc);
	printf("%s: %.1f MB, %u nodes (%.1f bytes of input per node, tape %.0f MB), "
	       "median of %d runs\n", argv[1], (double)src.len / 1e6, doc.n,
	       (double)src.len / doc.n, (double)doc.n * sizeof *doc.nodes / 1e6, runs);
	report("read", &t_read, runs, src.len);
	report("validate", &t_validate, runs, src.len);
	report("parse (new tape)", &t_fresh, runs, src.len);
	report("parse (tape reused)", &t_reused, runs, src.len);
	doc_free(&doc);
	return 0;
}
