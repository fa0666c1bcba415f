/*
 * Normalisers: each turns one parsed document (a root node of an input's doc) of its format
 * into resources of the model, resolving the core fields (address, type, name, provider,
 * cloud, region, actions...) in C. Problems that do not stop the document (an odd resource)
 * are recorded as warnings in m->diags; nothing here prints.
 */
#ifndef MG_LOAD_NORMALISE_H
#define MG_LOAD_NORMALISE_H
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

void tfplan_normalise(struct model *m, size_t input, uint32_t root);  /* load/tfplan.c */
void tfstate_normalise(struct model *m, size_t input, uint32_t root); /* load/tfstate.c */
void tfjson_normalise(struct model *m, size_t input, uint32_t root);  /* load/tfjson.c */
void k8s_normalise(struct model *m, size_t input, uint32_t root);     /* load/k8s.c */
void cfn_normalise(struct model *m, size_t input, uint32_t root);     /* load/cfn.c */
void generic_normalise(struct model *m, size_t input, uint32_t root); /* load/generic.c */

#endif
