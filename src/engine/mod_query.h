/* moongate.query: the values at a path pattern inside a value, with their paths. */
#ifndef MG_ENGINE_MOD_QUERY_H
#define MG_ENGINE_MOD_QUERY_H
#include <lua.h>

/* Most steps in a pattern. */
#define QUERY_MAX_STEPS 64

/* moongate.query(value, pattern [, texts]): two lists, the values at pattern inside value and their
 * paths ("spec.containers.0.env.1", array indexes from 0, as finding paths give them), in
 * document order (plain tables: members in no set order). Pattern steps, joined by '.':
 * `name` a member (on a list, a decimal name is an element index), `*` every member or
 * element, `[*]` every element of a list (an object with members counts as a list of
 * itself alone, as Terraform blocks written by hand are), `[n]` element n of such a list.
 * Null and values unknown until apply are never returned. With texts (a string or a list of
 * strings), only values holding one of them (as moongate.contains finds) are returned. A value read from a resource is
 * walked in its document without building tables for what the pattern passes over; tables
 * returned are views, as reading them gives. Raises an error for an invalid pattern. */
int mod_query_lua(lua_State *L);

#endif
