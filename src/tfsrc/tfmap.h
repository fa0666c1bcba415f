/*
 * Terraform source locations: maps a resource address of a plan or state
 * ("module.app[0].module.net.aws_subnet.this[\"a\"]", "data.aws_region.current") to the
 * file.tf:line of its `resource` / `data` block, and an attribute path to the line where it
 * is written, by scanning the *.tf files of a root directory (tfsrc/hcl.h) and following
 * `module` blocks whose source is a local path ("./x", "../x") to any depth. Instance keys
 * ([0], ["eu"]) are stripped: every instance of a count/for_each block maps to the block.
 * Modules from the registry, git, http and other remote sources are reported as unmapped.
 *
 * Directories are read lazily, once each, when a lookup first reaches them.
 * Ownership: a tfmap owns every directory, file and block it read; the pointers a lookup
 * returns stay valid until tfmap_free.
 */
#ifndef MG_TFSRC_TFMAP_H
#define MG_TFSRC_TFMAP_H
#include <stdbool.h>
#include <stddef.h>

#include "engine/finding.h"
#include "model/model.h"
#include "tfsrc/hcl.h"
#include "util/diag.h"

struct tfmap;

/* Where an address (and attribute path) is declared. */
struct tfmap_loc {
	const char *file;      /* the .tf file ("infra/modules/net/main.tf"), NULL when unmapped */
	unsigned line, column; /* the attribute's when the path matched, else the block's */
	const struct hcl_block *block; /* NULL when unmapped */
	const struct hcl_attr *attr;   /* the written attribute that best matches the path, or NULL */
	bool exact;            /* the whole path is written in the block */
	const char *path;      /* the path asked for (borrowed from the caller), or NULL */
	const char *unmapped;  /* why file is NULL: "module 'vpc' has a remote source (...)" */
};

/* A map over the sources under root (a directory; "." for the current one). Problems while
 * reading them (unreadable files, HCL syntax) become warnings of d, which must outlive the
 * map (d may be NULL). */
struct tfmap *tfmap_new(const char *root, struct diags *d);
void tfmap_free(struct tfmap *m);

/* Maps address, and path ("ingress.1.cidr_blocks", may be NULL) inside its block. Returns
 * true when mapped; otherwise loc->unmapped says why. */
bool tfmap_lookup(struct tfmap *m, const char *address, const char *path, struct tfmap_loc *loc);

/* The inline suppressions that cover a mapped location: the block's, then those of every
 * written attribute or nested block along loc->path, outermost first. Stores at most max
 * in out and returns how many there are. */
size_t tfmap_ignores(const struct tfmap_loc *loc, const struct hcl_ignore **out, size_t max);

/* True when dir holds at least one *.tf file. */
bool tfmap_dir_has_tf(const char *dir);

/* Fills src_file, src_line and src_column of the findings on Terraform plans and states of
 * model: from the sources under tf_dir when it is not NULL, else under the directory of
 * each such input when it holds *.tf files. A finding that cannot be mapped keeps only its
 * plan location; each distinct reason is one warning in d. Then applies the sources'
 * `# moongate:ignore` comments by governance's rules (govern/suppress.h): a covered finding
 * becomes FINDING_SUPPRESSED, a broken comment a SUPPRESS_POLICY finding appended to f, an
 * expired one a warning. */
void tfmap_annotate(struct findings *f, const struct model *model, const char *tf_dir,
                    struct diags *d);

#endif
