/*
 * Writing the estate page: one function per section (summary, inventory, concentration,
 * flows, findings, metadata). Charts are SVG with their numbers as text, so they read the same
 * without colour and can be checked in the DOM; elements that tests look for carry ids or
 * data- attributes. The findings filter reads its initial state from the URL fragment
 * ("#severity=high&area=egress"), so a link can open the page filtered.
 */
#include "estate/estate_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char style[] =
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
	"color:#1d2330;background:#f6f7f9}"
	"header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}"
	"header p{margin:4px 0 0;color:#c9d1e0}main{padding:8px 28px 40px;max-width:1200px}"
	"section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:14px 18px;"
	"margin:16px 0}h2{font-size:17px;margin:0 0 10px}"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;"
	"border-bottom:1px solid #eef0f4;vertical-align:top}"
	"section{overflow-x:auto}td.n,th.n{text-align:right;"
	"font-variant-numeric:tabular-nums}tr.group th{background:#eef1f6;font-size:13px}"
	".bar{display:inline-block;height:9px;background:#7a5cc2;border-radius:2px;"
	"vertical-align:middle;margin-right:6px}.cloud{font-weight:600}"
	"td.msg,td.fix,td.loc{overflow-wrap:anywhere}.sev{white-space:nowrap;font-weight:700;"
	"text-transform:uppercase;font-size:11px;padding:1px 6px;"
	"border-radius:3px;color:#fff}.sev-critical{background:#7b1020}.sev-high{background:#c0392b}"
	".sev-medium{background:#d68910}.sev-low{background:#2e86c1}.sev-info{background:#7f8c8d}"
	".charts{display:flex;flex-wrap:wrap;gap:24px}.chart h3{font-size:14px;margin:4px 0}"
	".stat{color:#4a5468}.muted{color:#7a8396}code{font-size:12px}"
	"#filters{margin-bottom:8px}#filters label{margin-right:14px}"
	"td.msg{max-width:520px}td.fix{max-width:360px;color:#4a5468}svg text{font-size:12px}";

/* Filters the findings rows by the selects; the fragment sets the initial selection. */
static const char script[] =
	"(function(){\n"
	"var box=document.getElementById('filters');\n"
	"var sels=box.querySelectorAll('select');\n"
	"function apply(){\n"
	"  var rows=document.querySelectorAll('#findings-table tbody tr'),n=0;\n"
	"  for(var i=0;i<rows.length;i++){\n"
	"    var ok=true;\n"
	"    for(var j=0;j<sels.length;j++){\n"
	"      var v=sels[j].value;\n"
	"      if(v&&rows[i].getAttribute('data-'+sels[j].name)!==v)ok=false;\n"
	"    }\n"
	"    rows[i].hidden=!ok;if(ok)n++;\n"
	"  }\n"
	"  document.getElementById('shown').textContent=String(n);\n"
	"}\n"
	"for(var j=0;j<sels.length;j++)sels[j].addEventListener('change',apply);\n"
	"var parts=location.hash.slice(1).split('&');\n"
	"for(var k=0;k<parts.length;k++){\n"
	"  var kv=parts[k].split('=');\n"
	"  for(var s=0;s<sels.length;s++){\n"
	"    if(kv.length===2&&sels[s].name===kv[0])sels[s].value=decodeURIComponent(kv[1]);\n"
	"  }\n"
	"}\n"
	"apply();\n"
	"})();\n";

void estate_html_escape(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '&': buf_adds(out, "&amp;"); break;
		case '<': buf_adds(out, "&lt;"); break;
		case '>': buf_adds(out, "&gt;"); break;
		case '"': buf_adds(out, "&quot;"); break;
		case '\'': buf_adds(out, "&#39;"); break;
		default:
			if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
				buf_adds(out, "\xef\xbf\xbd");
			else
				buf_addc(out, (char)*p);
		}
	}
}

static const char *cloud_color(const char *cloud)
{
	static const struct { const char *cloud, *color; } colors[] = {
		{"aws", "#e08a00"}, {"azure", "#0078d4"}, {"gcp", "#34a853"},
		{"kubernetes", "#326ce5"}, {"openai", "#10a37f"}, {"internet", "#8e44ad"},
	};
	for (size_t i = 0; cloud && i < sizeof colors / sizeof colors[0]; i++) {
		if (strcmp(colors[i].cloud, cloud) == 0)
			return colors[i].color;
	}
	return "#7f8c8d";
}

static void write_head(struct buf *out)
{
	buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	              "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
	              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	              "<title>moongate estate report</title>\n<style>");
	buf_adds(out, style);
	buf_adds(out, "</style>\n</head>\n<body>\n");
}

static void write_header(const struct estate *es, struct buf *out)
{
	size_t n = es->findings ? es->findings->n : 0;
	buf_addf(out, "<header><h1>moongate estate report</h1><p id=\"summary\">"
	              "<span id=\"total-resources\">%zu</span> resources &middot; "
	              "<span id=\"total-ai\">%zu</span> AI endpoints &middot; "
	              "<span id=\"total-findings\">%zu</span> findings &middot; "
	              "<span id=\"total-flows\">%zu</span> flows</p></header>\n<main>\n",
	         es->resources, es->ai, n, es->nflows);
}

static size_t group_total(const struct estate *es, size_t first)
{
	size_t n = 0;
	for (size_t i = first; i < es->ncells &&
	                       strcmp(es->cells[i].jurisdiction, es->cells[first].jurisdiction) == 0; i++)
		n += es->cells[i].resources;
	return n;
}

static void write_cell_row(const struct estate_cell *c, size_t max, struct buf *out)
{
	double share = c->resources ? (double)c->ai / (double)c->resources : 0;
	buf_adds(out, "<tr data-cloud=\"");
	estate_html_escape(out, c->cloud);
	buf_adds(out, "\" data-region=\"");
	estate_html_escape(out, c->region);
	buf_addf(out, "\"><td class=\"cloud\" style=\"color:%s\">", cloud_color(c->cloud));
	estate_html_escape(out, c->cloud);
	buf_adds(out, "</td><td><code>");
	estate_html_escape(out, c->region);
	buf_adds(out, "</code></td><td>");
	estate_html_escape(out, c->location ? c->location : "");
	if (c->country) {
		buf_adds(out, " <span class=\"muted\">(");
		estate_html_escape(out, c->country);
		buf_adds(out, ")</span>");
	}
	buf_addf(out, "</td><td class=\"n\"><span class=\"bar\" style=\"width:%.0fpx;background:%s\">"
	              "</span><span class=\"count\">%zu</span></td>",
	         max ? 120.0 * (double)c->resources / (double)max : 0.0, cloud_color(c->cloud),
	         c->resources);
	buf_addf(out, "<td class=\"n ai\">%zu</td><td class=\"n\"><span class=\"bar\" "
	              "style=\"width:%.0fpx\"></span><span class=\"ai-share\">%.0f%%</span></td></tr>\n",
	         c->ai, 60 * share, 100 * share);
}

static void write_inventory(const struct estate *es, struct buf *out)
{
	size_t max = 0;
	for (size_t i = 0; i < es->ncells; i++)
		max = es->cells[i].resources > max ? es->cells[i].resources : max;
	buf_adds(out, "<section id=\"inventory\"><h2>Inventory by jurisdiction, cloud and region</h2>\n"
	              "<table id=\"inventory-table\"><thead><tr><th>cloud</th><th>region</th>"
	              "<th>location</th><th class=\"n\">resources</th><th class=\"n\">AI endpoints</th>"
	              "<th class=\"n\">AI share</th></tr></thead>\n");
	for (size_t i = 0; i < es->ncells; i++) {
		const struct estate_cell *c = &es->cells[i];
		if (i == 0 || strcmp(es->cells[i - 1].jurisdiction, c->jurisdiction) != 0) {
			buf_adds(out, i ? "</tbody>\n<tbody data-jurisdiction=\"" : "<tbody data-jurisdiction=\"");
			estate_html_escape(out, c->jurisdiction);
			buf_adds(out, "\"><tr class=\"group\"><th colspan=\"6\">");
			estate_html_escape(out, c->jurisdiction);
			buf_addf(out, " <span class=\"stat\">&middot; %zu resources</span></th></tr>\n",
			         group_total(es, i));
		}
		write_cell_row(c, max, out);
	}
	buf_adds(out, es->ncells ? "</tbody>"
	                         : "<tbody><tr><td colspan=\"6\">no resources</td></tr></tbody>");
	buf_adds(out, "</table></section>\n");
}

/* A horizontal bar chart of the shares, with the HHI and the effective number above it. */
static void write_share_chart(const struct estate_shares *s, const char *id, const char *title,
                              const char *unit, struct buf *out)
{
	const int row = 28, label = 150, bar = 260;
	int height = (int)(s->n ? s->n : 1) * row + 8;
	buf_addf(out, "<div class=\"chart\" id=\"%s\"><h3>%s</h3><p class=\"stat\">HHI "
	              "<b class=\"hhi\">%.0f</b> &middot; effective number of vendors "
	              "<b class=\"effective\">%.2f</b></p>\n",
	         id, title, s->hhi, s->effective);
	buf_addf(out, "<svg role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
	         label + bar + 210, height, label + bar + 210, height);
	if (s->n == 0)
		buf_addf(out, "<text x=\"0\" y=\"18\" fill=\"#7a8396\">no %ss</text>", unit);
	for (size_t i = 0; i < s->n; i++) {
		const struct estate_vendor *v = &s->v[i];
		int y = (int)i * row + 4;
		buf_addf(out, "<g class=\"vendor\" data-key=\"");
		estate_html_escape(out, v->key);
		buf_addf(out, "\"><text x=\"0\" y=\"%d\">", y + 15);
		estate_html_escape(out, v->name);
		buf_addf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" rx=\"2\" "
		              "fill=\"%s\"></rect><text class=\"share\" x=\"%.1f\" y=\"%d\">%.1f%%"
		              "</text><text class=\"muted\" x=\"%d\" y=\"%d\" fill=\"#7a8396\">%zu %s%s",
		         label, y, bar * v->share, cloud_color(v->key), label + bar * v->share + 6,
		         y + 14, 100 * v->share, label + bar + 60, y + 14, v->count, unit,
		         v->count == 1 ? "" : "s");
		if (v->clouds) {
			buf_adds(out, " on ");
			estate_html_escape(out, v->clouds);
		}
		buf_adds(out, "</text></g>");
	}
	buf_adds(out, "</svg></div>\n");
}

static void write_concentration(const struct estate *es, struct buf *out)
{
	buf_adds(out, "<section id=\"concentration\"><h2>Vendor concentration</h2>"
	              "<div class=\"charts\">\n");
	write_share_chart(&es->clouds, "cloud-vendors", "Cloud vendors (weighted resources)",
	                  "resource", out);
	write_share_chart(&es->models, "model-vendors", "AI model vendors (endpoints)", "endpoint",
	                  out);
	buf_adds(out, "</div><p class=\"muted\">HHI: sum of the squared shares in percent "
	              "(10,000 = one vendor); effective number of vendors: 10,000 / HHI.</p>"
	              "</section>\n");
}

/* A node of the flows diagram: "aws eu-west-1". */
static char *node_name(const char *cloud, const char *region)
{
	return region ? xasprintf("%s %s", cloud ? cloud : "?", region) : xstrdup(cloud ? cloud : "?");
}

/* The index of name in v (appending it when absent). */
static size_t node_index(char ***v, size_t *n, size_t *cap, char *name)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*v)[i], name) == 0) {
			free(name);
			return i;
		}
	}
	xgrow((void **)v, cap, *n + 1, sizeof **v);
	(*v)[*n] = name;
	return (*n)++;
}

static void write_node(struct buf *out, int x, int y, const char *name, const char *cloud)
{
	buf_addf(out, "<g class=\"node\"><rect x=\"%d\" y=\"%d\" width=\"190\" height=\"30\" rx=\"5\" "
	              "fill=\"#fff\" stroke=\"%s\" stroke-width=\"2\"></rect><text x=\"%d\" y=\"%d\">",
	         x, y, cloud_color(cloud), x + 10, y + 19);
	estate_html_escape(out, name);
	buf_adds(out, "</text></g>");
}

struct nodes {
	char **v;
	size_t n, cap;
	const char **clouds; /* per node, borrowed from the flows */
};

/* Where the flows go in the diagram: the sending regions on the left, the receivers on the
 * right; flow i runs from node from[fi[i]] to node to[ti[i]]. */
struct layout {
	struct nodes from, to;
	size_t *fi, *ti;
};

static void layout_init(struct layout *l, const struct estate *es)
{
	memset(l, 0, sizeof *l);
	l->fi = xcalloc(es->nflows + 1, sizeof *l->fi);
	l->ti = xcalloc(es->nflows + 1, sizeof *l->ti);
	l->from.clouds = xcalloc(es->nflows + 1, sizeof *l->from.clouds);
	l->to.clouds = xcalloc(es->nflows + 1, sizeof *l->to.clouds);
	for (size_t i = 0; i < es->nflows; i++) {
		const struct estate_flow *f = &es->flows[i];
		struct nodes *a = &l->from, *b = &l->to;
		l->fi[i] = node_index(&a->v, &a->n, &a->cap, node_name(f->from_cloud, f->from_region));
		l->ti[i] = node_index(&b->v, &b->n, &b->cap, node_name(f->to_cloud, f->to_region));
		a->clouds[l->fi[i]] = f->from_cloud;
		b->clouds[l->ti[i]] = f->to_cloud;
	}
}

static void nodes_free(struct nodes *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	free(n->clouds);
}

static void layout_free(struct layout *l)
{
	nodes_free(&l->from);
	nodes_free(&l->to);
	free(l->fi);
	free(l->ti);
}

/* One edge: a curve between the nodes, labelled at its middle (labels of flows between the
 * same two nodes are stacked). */
static void write_edge(const struct estate *es, const struct layout *l, size_t i,
                       struct buf *out)
{
	const struct estate_flow *f = &es->flows[i];
	int y1 = 25 + (int)l->fi[i] * 60, y2 = 25 + (int)l->ti[i] * 60;
	int stacked = 0;
	for (size_t k = 0; k < i; k++)
		stacked += l->fi[k] == l->fi[i] && l->ti[k] == l->ti[i];
	buf_adds(out, "<g class=\"edge\" data-kind=\"");
	estate_html_escape(out, f->kind);
	buf_addf(out, "\"><path d=\"M210,%d C400,%d 460,%d 650,%d\" fill=\"none\" stroke=\"#555\" "
	              "stroke-width=\"1.5\" marker-end=\"url(#arrow)\"></path><text "
	              "class=\"edge-label\" x=\"430\" y=\"%d\" text-anchor=\"middle\" "
	              "fill=\"#1d2330\" stroke=\"#fff\" stroke-width=\"4\" paint-order=\"stroke\">",
	         y1, y1, y2, y2, (y1 + y2) / 2 - 5 + 15 * stacked);
	estate_html_escape(out, f->service);
	buf_adds(out, " &middot; ");
	estate_html_escape(out, f->price ? f->price : "price unknown");
	buf_adds(out, "</text></g>");
}

static void write_flow_svg(const struct estate *es, struct buf *out)
{
	struct layout l;
	layout_init(&l, es);
	size_t rows = l.from.n > l.to.n ? l.from.n : l.to.n;
	size_t h = rows * 60 + 20 + 15 * es->nflows / 2;
	buf_addf(out, "<svg id=\"flows-diagram\" role=\"img\" width=\"860\" height=\"%zu\" "
	              "viewBox=\"0 0 860 %zu\"><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" "
	              "refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
	              "<path d=\"M0,0L10,5L0,10z\" fill=\"#555\"></path></marker></defs>", h, h);
	for (size_t i = 0; i < es->nflows; i++)
		write_edge(es, &l, i, out);
	for (size_t i = 0; i < l.from.n; i++)
		write_node(out, 20, 10 + (int)i * 60, l.from.v[i], l.from.clouds[i]);
	for (size_t i = 0; i < l.to.n; i++)
		write_node(out, 650, 10 + (int)i * 60, l.to.v[i], l.to.clouds[i]);
	buf_adds(out, "</svg>\n");
	layout_free(&l);
}

static void write_flow_row(const struct estate_flow *f, struct buf *out)
{
	buf_adds(out, "<tr><td>");
	estate_html_escape(out, f->from_cloud);
	buf_adds(out, " <code>");
	estate_html_escape(out, f->from_region ? f->from_region : "");
	buf_adds(out, "</code></td><td>");
	estate_html_escape(out, f->to_cloud);
	buf_adds(out, " <code>");
	estate_html_escape(out, f->to_region ? f->to_region : "");
	buf_adds(out, "</code></td><td>");
	estate_html_escape(out, f->service);
	if (f->host) {
		buf_adds(out, "<br><code>");
		estate_html_escape(out, f->host);
		buf_adds(out, "</code>");
	}
	buf_adds(out, "</td><td class=\"n price\">");
	estate_html_escape(out, f->price ? f->price : "unknown");
	buf_adds(out, "</td><td>");
	for (size_t k = 0; k < f->nresources; k++) {
		buf_adds(out, k ? ", <code>" : "<code>");
		estate_html_escape(out, f->resources[k]);
		buf_adds(out, "</code>");
	}
	buf_adds(out, "</td><td>");
	estate_html_escape(out, f->policy);
	buf_adds(out, "</td></tr>\n");
}

static void write_flows(const struct estate *es, struct buf *out)
{
	buf_adds(out, "<section id=\"flows\"><h2>Cross-cloud and internet flows</h2>\n");
	if (es->nflows == 0) {
		buf_adds(out, "<p class=\"muted\">The egress policies found no flow.</p></section>\n");
		return;
	}
	buf_adds(out, "<p class=\"muted\">Edges are labelled with the service and the internet "
	              "egress price per GB of the sending cloud.</p>\n");
	write_flow_svg(es, out);
	buf_adds(out, "<table id=\"flows-table\"><thead><tr><th>from</th><th>to</th><th>service</th>"
	              "<th class=\"n\">price</th><th>resources</th><th>policy</th></tr></thead>"
	              "<tbody>\n");
	for (size_t i = 0; i < es->nflows; i++)
		write_flow_row(&es->flows[i], out);
	buf_adds(out, "</tbody></table></section>\n");
}

/* The distinct values of one attribute of the findings, sorted, as <option>s. */
static void write_options(const struct findings *fs, int which, struct buf *out)
{
	const char **v = xcalloc(fs->n + 1, sizeof *v);
	char (*areas)[64] = xcalloc(fs->n + 1, sizeof *areas);
	size_t n = 0;
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];
		estate_area(f->policy, areas[i], sizeof areas[i]);
		const char *s = which == 0 ? severity_name(f->severity) : which == 1 ? areas[i]
		                                                                  : f->policy;
		size_t k = 0;
		while (k < n && strcmp(v[k], s ? s : "") != 0)
			k++;
		if (k == n)
			v[n++] = s ? s : "";
	}
	for (size_t i = 1; i < n; i++) {
		for (size_t k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
			const char *t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	}
	for (size_t i = 0; i < n; i++) {
		buf_adds(out, "<option value=\"");
		estate_html_escape(out, v[i]);
		buf_adds(out, "\">");
		estate_html_escape(out, v[i]);
		buf_adds(out, "</option>");
	}
	free(areas);
	free(v);
}

static void write_finding_row(const struct finding *f, struct buf *out)
{
	char area[64];
	estate_area(f->policy, area, sizeof area);
	const char *sev = severity_name(f->severity);
	buf_addf(out, "<tr data-severity=\"%s\" data-area=\"", sev);
	estate_html_escape(out, area);
	buf_adds(out, "\" data-policy=\"");
	estate_html_escape(out, f->policy);
	buf_addf(out, "\"><td><span class=\"sev sev-%s\">%s</span>%s</td><td>", sev, sev,
	         f->cannot_verify ? " <span class=\"muted\">cannot verify</span>" : "");
	estate_html_escape(out, f->policy);
	buf_adds(out, "</td><td class=\"loc\">");
	if (f->file) {
		buf_adds(out, "<code>");
		estate_html_escape(out, f->file);
		if (f->line)
			buf_addf(out, ":%u:%u", f->line, f->column);
		buf_adds(out, "</code><br>");
	}
	estate_html_escape(out, f->resource ? f->resource : "(whole input)");
	buf_adds(out, "</td><td class=\"msg\">");
	estate_html_escape(out, f->message);
	buf_adds(out, "</td><td class=\"fix\">");
	estate_html_escape(out, f->remediation ? f->remediation : "");
	buf_adds(out, "</td></tr>\n");
}

static void write_findings(const struct estate *es, struct buf *out)
{
	static const struct findings none = FINDINGS_INIT;
	const struct findings *fs = es->findings ? es->findings : &none;
	static const char *const names[] = {"severity", "area", "policy"};
	buf_addf(out, "<section id=\"findings\"><h2>Findings (<span id=\"shown\">%zu</span> of "
	              "%zu shown)</h2>\n<div id=\"filters\">", fs->n, fs->n);
	for (int i = 0; i < 3; i++) {
		buf_addf(out, "<label>%s <select name=\"%s\" id=\"filter-%s\"><option value=\"\">all"
		              "</option>", names[i], names[i], names[i]);
		write_options(fs, i, out);
		buf_adds(out, "</select></label>");
	}
	buf_adds(out, "</div>\n<table id=\"findings-table\"><thead><tr><th>severity</th>"
	              "<th>policy</th><th>location</th><th>message</th><th>remediation</th></tr>"
	              "</thead><tbody>\n");
	for (size_t i = 0; i < fs->n; i++)
		write_finding_row(&fs->v[i], out);
	buf_adds(out, "</tbody></table></section>\n");
}

static void write_metadata(const struct estate *es, struct buf *out)
{
	char when[32];
	estate_time_iso(es, when, sizeof when);
	buf_adds(out, "<section id=\"metadata\"><h2>Run</h2><table><tbody>");
	buf_adds(out, "<tr><th>moongate</th><td id=\"meta-version\">");
	estate_html_escape(out, es->version);
	buf_addf(out, "</td></tr><tr><th>time</th><td id=\"meta-time\">%s</td></tr>"
	              "<tr><th>config</th><td id=\"meta-config\">", when);
	estate_html_escape(out, es->config ? es->config : "none");
	buf_adds(out, "</td></tr><tr><th>inputs</th><td id=\"meta-inputs\">");
	for (size_t i = 0; i < es->ninputs; i++) {
		buf_adds(out, i ? "<br><code>" : "<code>");
		estate_html_escape(out, es->inputs[i].path);
		buf_adds(out, "</code> ");
		estate_html_escape(out, es->inputs[i].format);
		buf_addf(out, ", %zu resources", es->inputs[i].resources);
	}
	buf_adds(out, "</td></tr></tbody></table>\n<h3>Policies</h3><table id=\"policies\">"
	              "<thead><tr><th>policy</th><th>source</th><th>enabled</th><th>SHA-256</th></tr>"
	              "</thead><tbody>\n");
	for (size_t i = 0; i < es->npolicies; i++) {
		const struct estate_policy *p = &es->policies[i];
		buf_adds(out, "<tr><td>");
		estate_html_escape(out, p->id);
		buf_addf(out, "</td><td>%s</td><td>%s</td><td><code>", p->builtin ? "built-in" : "file",
		         p->enabled ? "yes" : "no");
		estate_html_escape(out, p->hash ? p->hash + (strncmp(p->hash, "sha256:", 7) ? 0 : 7)
		                                : "unreadable");
		buf_adds(out, "</code></td></tr>\n");
	}
	buf_adds(out, "</tbody></table></section>\n");
}

void estate_html_write(const struct estate *es, struct buf *out)
{
	write_head(out);
	write_header(es, out);
	write_inventory(es, out);
	write_concentration(es, out);
	write_flows(es, out);
	write_findings(es, out);
	write_metadata(es, out);
	buf_adds(out, "</main>\n<script>\n");
	buf_adds(out, script);
	buf_adds(out, "</script>\n</body>\n</html>\n");
}
