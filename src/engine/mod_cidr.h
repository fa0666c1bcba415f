/* moongate.cidr: IPv4 and IPv6 networks (contains, overlaps, is_public, is_any). */
#ifndef MG_ENGINE_MOD_CIDR_H
#define MG_ENGINE_MOD_CIDR_H
#include <stdbool.h>
#include <stdint.h>

#include <lua.h>

struct cidr {
	int bits;          /* 32 (IPv4) or 128 (IPv6) */
	int prefix;        /* 0..bits; an address alone is a /32 or /128 */
	uint8_t addr[16];  /* network order, host bits cleared */
};

/* Parses "10.0.0.0/8", "10.1.2.3", "2001:db8::/32", "::1". False when s is neither. */
bool mod_cidr_parse(const char *s, struct cidr *out);
bool mod_cidr_contains(const struct cidr *net, const struct cidr *inner);
bool mod_cidr_overlaps(const struct cidr *a, const struct cidr *b);
/* True when net holds at least one internet-routable address: not wholly inside private
 * (RFC 1918), loopback, link-local, CGNAT, ULA, multicast, documentation or reserved space. */
bool mod_cidr_is_public(const struct cidr *net);

/* Pushes the moongate.cidr table. */
void mod_cidr_push(lua_State *L);

#endif
