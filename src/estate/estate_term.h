/*
 * The estate in a terminal (`moongate report` without --html): the inventory grouped by
 * jurisdiction, the cloud and AI model vendor concentrations as bar charts with the HHI and
 * effective number of vendors, the flows, and the findings by severity. Unicode block bars
 * (eighths) or plain ASCII; lines fit the given width; ANSI colour only when asked.
 */
#ifndef MG_ESTATE_ESTATE_TERM_H
#define MG_ESTATE_ESTATE_TERM_H
#include <stdbool.h>

#include "estate/estate.h"
#include "util/buf.h"

struct estate_term_options {
	unsigned width; /* columns (at least 40 are used) */
	bool color;     /* ANSI colours and bold */
	bool ascii;     /* '#' bars and '->' arrows instead of Unicode */
};

void estate_term_write(const struct estate *es, const struct estate_term_options *o,
                       struct buf *out);

#endif
