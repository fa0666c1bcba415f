/*
 * Fuzz target: the whole check path on one input. load_buffer (syntax choice, format
 * detection, normalisation) then the built-in policy pack, then sorting and formatting of
 * every finding and diagnostic. The first byte picks the file name, so both the ".json only"
 * and the "guess by content" syntax rules are reached. The engine (the built-in pack loaded
 * into one sandboxed Lua state) is built once per process, as loading it costs far more than
 * one input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "engine/engine.h"
#include "fuzz.h"
#include "load/load.h"
#include "model/model.h"
#include "util/diag.h"

static const char *const names[] = {"fuzz.json", "fuzz.yaml", "fuzz.tf.json", "fuzz"};

static struct engine *shared_engine; /* built on the first input, freed at exit */

static void free_engine(void)
{
	engine_free(shared_engine);
}

static struct engine *get_engine(void)
{
	if (!shared_engine) {
		struct diags d = DIAGS_INIT;
		struct engine_options opts = {.builtin = true,
		                              .instruction_budget = (uint64_t)1 << 22,
		                              .memory_limit = (size_t)64 << 20};
		shared_engine = engine_new(&opts, &d);
		if (!shared_engine || d.n)
			abort(); /* the built-in pack must load cleanly */
		diags_free(&d);
		atexit(free_engine);
	}
	return shared_engine;
}

static void drain(struct findings *f, struct diags *d)
{
	findings_sort(f);
	for (size_t i = 0; i < d->n; i++)
		free(diag_format(&d->v[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *name = names[data[0] % (sizeof names / sizeof names[0])];
	struct load_options lopts = {.json = {.max_depth = 64},
	                             .yaml = {.max_depth = 64, .max_alias_nodes = 10000,
	                                      .max_documents = 200}};
	struct model m;
	model_init(&m);
	load_buffer(&m, name, (const char *)data + 1, size - 1, &lopts);
	struct findings f = FINDINGS_INIT;
	struct diags d = DIAGS_INIT;
	drain(&f, &m.diags);
	engine_run(get_engine(), &m, &f, &d);
	if (diags_count(&d, DIAG_POLICY))
		abort(); /* the built-in pack must never fail, whatever the input */
	drain(&f, &d);
	findings_free(&f);
	diags_free(&d);
	model_free(&m);
	return 0;
}
