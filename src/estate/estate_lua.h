/*
 * The Lua program behind the estate (run in the engine's sandbox by estate.c). It receives a
 * host table { resources, findings, cloud_params, values } and returns { cells, clouds,
 * models, flows }; docs/estate-report.md states the definitions it implements.
 */
#ifndef MG_ESTATE_ESTATE_LUA_H
#define MG_ESTATE_ESTATE_LUA_H

extern const char estate_lua_source[];

#endif
