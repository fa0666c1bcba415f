/* Placeholder reader: replaced by the real one. */
#include "load/text.h"

#include <stdio.h>

bool text_read(struct doc_source *src, const char *path, size_t max_size, char *err,
               size_t errlen)
{
	(void)src;
	(void)path;
	(void)max_size;
	snprintf(err, errlen, "reader not built yet");
	return false;
}
