/* Collected diagnostics (see diag.h). */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/buf.h"
#include "util/xalloc.h"

void diags_add(struct diags *d, enum diag_kind kind, const char *file, unsigned line,
               unsigned column, const char *policy, const char *fmt, ...)
{
	va_list ap;
	xgrow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v);
	struct diag *dg = &d->v[d->n++];
	dg->kind = kind;
	dg->file = file ? xstrdup(file) : NULL;
	dg->line = line;
	dg->column = column;
	dg->policy = policy ? xstrdup(policy) : NULL;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	dg->message = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(dg->message, (size_t)n + 1, fmt, ap);
	va_end(ap);
}

size_t diags_count(const struct diags *d, enum diag_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].kind == kind;
	return n;
}

char *diag_format(const struct diag *dg)
{
	struct buf b = BUF_INIT;
	if (dg->file) {
		buf_adds(&b, dg->file);
		if (dg->line) {
			buf_addf(&b, ":%u", dg->line);
			if (dg->column)
				buf_addf(&b, ":%u", dg->column);
		}
		buf_adds(&b, ": ");
	}
	if (dg->kind == DIAG_WARNING)
		buf_adds(&b, "warning: ");
	if (dg->policy)
		buf_addf(&b, "policy '%s': ", dg->policy);
	buf_adds(&b, dg->message);
	return buf_detach(&b);
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].policy);
		free(d->v[i].message);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
