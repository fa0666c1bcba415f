/*
 * Writing the estate as JSON: one function per section, two-space indentation, numbers with
 * fixed decimals (shares 4, HHI 1, effective number 2, prices as the library gives them).
 */
#include "estate/estate_json.h"

#include "report/json.h"

static void key_string(struct buf *out, const char *indent, const char *key, const char *value,
                       const char *end)
{
	buf_addf(out, "%s\"%s\": ", indent, key);
	report_json_string(out, value);
	buf_adds(out, end);
}

static void write_metadata(const struct estate *es, struct buf *out)
{
	char when[32];
	estate_time_iso(es, when, sizeof when);
	buf_adds(out, "  \"metadata\": {\n");
	key_string(out, "    ", "moongate", es->version, ",\n");
	key_string(out, "    ", "time", es->time_fixed ? when : NULL, ",\n");
	key_string(out, "    ", "config", es->config, ",\n");
	buf_adds(out, "    \"inputs\": [");
	for (size_t i = 0; i < es->ninputs; i++) {
		buf_adds(out, i ? ",\n      {" : "\n      {");
		key_string(out, "", "path", es->inputs[i].path, ", ");
		key_string(out, "", "format", es->inputs[i].format, ", ");
		buf_addf(out, "\"resources\": %zu}", es->inputs[i].resources);
	}
	buf_adds(out, es->ninputs ? "\n    ],\n" : "],\n");
	buf_adds(out, "    \"policies\": [");
	for (size_t i = 0; i < es->npolicies; i++) {
		const struct estate_policy *p = &es->policies[i];
		buf_adds(out, i ? ",\n      {" : "\n      {");
		key_string(out, "", "id", p->id, ", ");
		buf_addf(out, "\"builtin\": %s, \"enabled\": %s, ", p->builtin ? "true" : "false",
		         p->enabled ? "true" : "false");
		key_string(out, "", "hash", p->hash, "}");
	}
	buf_adds(out, es->npolicies ? "\n    ]\n  },\n" : "]\n  },\n");
}

static void write_summary(const struct estate *es, struct buf *out)
{
	size_t by_sev[SEV_COUNT] = {0};
	size_t n = es->findings ? es->findings->n : 0;
	for (size_t i = 0; i < n; i++) {
		unsigned s = (unsigned)es->findings->v[i].severity;
		if (s < SEV_COUNT)
			by_sev[s]++;
	}
	buf_addf(out, "  \"summary\": {\n    \"resources\": %zu,\n    \"ai_endpoints\": %zu,\n"
	              "    \"findings\": %zu,\n    \"by_severity\": {", es->resources, es->ai, n);
	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--)
		buf_addf(out, "\"%s\": %zu%s", severity_name((enum severity)s), by_sev[s],
		         s > SEV_INFO ? ", " : "");
	buf_addf(out, "},\n    \"flows\": %zu\n  },\n", es->nflows);
}

static void write_inventory(const struct estate *es, struct buf *out)
{
	buf_adds(out, "  \"inventory\": [");
	for (size_t i = 0; i < es->ncells; i++) {
		const struct estate_cell *c = &es->cells[i];
		buf_adds(out, i ? ",\n    {" : "\n    {");
		key_string(out, "", "jurisdiction", c->jurisdiction, ", ");
		key_string(out, "", "cloud", c->cloud, ", ");
		key_string(out, "", "region", c->region, ", ");
		key_string(out, "", "location", c->location, ", ");
		key_string(out, "", "country", c->country, ", ");
		buf_addf(out, "\"resources\": %zu, \"ai_endpoints\": %zu, \"ai_share\": %.4f}",
		         c->resources, c->ai, c->resources ? (double)c->ai / (double)c->resources : 0.0);
	}
	buf_adds(out, es->ncells ? "\n  ],\n" : "],\n");
}

static void write_shares(const struct estate_shares *s, const char *name, const char *basis,
                         const char *count_key, bool last, struct buf *out)
{
	buf_addf(out, "    \"%s\": {\n      \"basis\": \"%s\",\n      \"total\": %.2f,\n"
	              "      \"hhi\": %.1f,\n      \"effective_vendors\": %.2f,\n      \"vendors\": [",
	         name, basis, s->total, s->hhi, s->effective);
	for (size_t i = 0; i < s->n; i++) {
		const struct estate_vendor *v = &s->v[i];
		buf_adds(out, i ? ",\n        {" : "\n        {");
		key_string(out, "", "key", v->key, ", ");
		key_string(out, "", "name", v->name, ", ");
		buf_addf(out, "\"%s\": %zu, \"weight\": %.2f, \"share\": %.4f", count_key, v->count,
		         v->weight, v->share);
		if (v->clouds)
			key_string(out, ", ", "clouds", v->clouds, "");
		buf_adds(out, "}");
	}
	buf_adds(out, s->n ? "\n      ]\n    }" : "]\n    }");
	buf_adds(out, last ? "\n" : ",\n");
}

static void write_flow(const struct estate_flow *f, struct buf *out)
{
	buf_adds(out, "{\"from\": {");
	key_string(out, "", "cloud", f->from_cloud, ", ");
	key_string(out, "", "region", f->from_region, "}, \"to\": {");
	key_string(out, "", "cloud", f->to_cloud, ", ");
	key_string(out, "", "region", f->to_region, ", ");
	key_string(out, "", "host", f->host, "}, ");
	key_string(out, "", "service", f->service, ", ");
	key_string(out, "", "kind", f->kind, ", ");
	key_string(out, "", "policy", f->policy, ", ");
	if (f->usd_per_gb >= 0)
		buf_addf(out, "\"usd_per_gb\": %g, ", f->usd_per_gb);
	else
		buf_adds(out, "\"usd_per_gb\": null, ");
	key_string(out, "", "price", f->price, ", ");
	buf_addf(out, "\"findings\": %zu, \"resources\": [", f->count);
	for (size_t k = 0; k < f->nresources; k++) {
		buf_adds(out, k ? ", " : "");
		report_json_string(out, f->resources[k]);
	}
	buf_adds(out, "]}");
}

static void write_flows(const struct estate *es, struct buf *out)
{
	buf_adds(out, "  \"flows\": [");
	for (size_t i = 0; i < es->nflows; i++) {
		buf_adds(out, i ? ",\n    " : "\n    ");
		write_flow(&es->flows[i], out);
	}
	buf_adds(out, es->nflows ? "\n  ],\n" : "],\n");
}

static void write_finding(const struct finding *f, struct buf *out)
{
	char area[64];
	estate_area(f->policy, area, sizeof area);
	buf_adds(out, "{");
	key_string(out, "", "policy", f->policy, ", ");
	key_string(out, "", "area", area, ", ");
	key_string(out, "", "severity", severity_name(f->severity), ", ");
	buf_addf(out, "\"cannot_verify\": %s, ", f->cannot_verify ? "true" : "false");
	key_string(out, "", "resource", f->resource, ", ");
	key_string(out, "", "file", f->file, ", ");
	if (f->line)
		buf_addf(out, "\"line\": %u, \"column\": %u, ", f->line, f->column);
	else
		buf_adds(out, "\"line\": null, \"column\": null, ");
	key_string(out, "", "message", f->message, ", ");
	key_string(out, "", "remediation", f->remediation, "}");
}

static void write_findings(const struct estate *es, struct buf *out)
{
	size_t n = es->findings ? es->findings->n : 0;
	buf_adds(out, "  \"findings\": [");
	for (size_t i = 0; i < n; i++) {
		buf_adds(out, i ? ",\n    " : "\n    ");
		write_finding(&es->findings->v[i], out);
	}
	buf_adds(out, n ? "\n  ]\n" : "]\n");
}

void estate_json_write(const struct estate *es, struct buf *out)
{
	buf_adds(out, "{\n  \"version\": 1,\n");
	write_metadata(es, out);
	write_summary(es, out);
	write_inventory(es, out);
	buf_adds(out, "  \"concentration\": {\n");
	write_shares(&es->clouds, "cloud_vendors", "weighted resources", "resources", false, out);
	write_shares(&es->models, "model_vendors", "AI endpoints", "endpoints", true, out);
	buf_adds(out, "  },\n");
	write_flows(es, out);
	write_findings(es, out);
	buf_adds(out, "}\n");
}
