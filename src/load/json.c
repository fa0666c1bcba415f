/* Placeholder JSON loader: replaced by the real one. */
#include "load/json.h"

#include <string.h>

bool json_parse(struct doc *doc, const struct json_options *opts, struct json_error *err)
{
	(void)doc;
	(void)opts;
	err->pos = 0;
	strcpy(err->message, "json loader not built yet");
	return false;
}
