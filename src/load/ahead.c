/* Prefaulting ahead of a writer on a helper thread (see ahead.h). */
#include "load/ahead.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/pages.h"
#include "util/xalloc.h"

#define AHEAD_CHUNK ((size_t)2 << 20) /* prefaulted per call: a huge page */

struct ahead {
	char *base;
	size_t len;
	size_t done;    /* reported by the writer: base[0, done) is its own business */
	size_t faulted; /* base[0, faulted) is backed (by the helper) */
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
};

/* The next chunk to prefault, or false when the helper must wait (or stop). Locked. */
static bool next_chunk(const struct ahead *a, size_t *from, size_t *to)
{
	size_t target = a->done + AHEAD_DISTANCE < a->len ? a->done + AHEAD_DISTANCE : a->len;
	if (a->stop || a->faulted >= target)
		return false;
	*from = a->faulted > a->done ? a->faulted : a->done; /* never where the writer works */
	/* chunks end on huge page boundaries of the address space */
	uintptr_t end = ((uintptr_t)(a->base + *from) + AHEAD_CHUNK) & ~(uintptr_t)(AHEAD_CHUNK - 1);
	*to = end - (uintptr_t)a->base < target ? end - (uintptr_t)a->base : target;
	return true;
}

static void *helper(void *arg)
{
	struct ahead *a = arg;
	pages_advise_huge(a->base, a->len);
	pthread_mutex_lock(&a->lock);
	while (!a->stop && a->faulted < a->len) {
		size_t from, to;
		if (!next_chunk(a, &from, &to)) {
			pthread_cond_wait(&a->wake, &a->lock);
			continue;
		}
		pthread_mutex_unlock(&a->lock);
		pages_populate(a->base + from, to - from);
		pthread_mutex_lock(&a->lock);
		a->faulted = to;
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

struct ahead *ahead_start(void *base, size_t len)
{
	if (len < AHEAD_MIN)
		return NULL;
	struct ahead *a = xcalloc(1, sizeof *a);
	a->base = base;
	a->len = len;
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->wake, NULL);
	if (pthread_create(&a->thread, NULL, helper, a) != 0) {
		pthread_cond_destroy(&a->wake);
		pthread_mutex_destroy(&a->lock);
		free(a);
		return NULL;
	}
	return a;
}

void ahead_report(struct ahead *a, size_t done)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->done = done;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
}

void ahead_stop(struct ahead *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	pthread_cond_destroy(&a->wake);
	pthread_mutex_destroy(&a->lock);
	free(a);
}
