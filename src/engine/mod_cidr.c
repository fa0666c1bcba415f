/*
 * moongate.cidr (see mod_cidr.h). Addresses are parsed with inet_pton; the non-public ranges
 * are a table per family, and a network is public unless those ranges cover all of it.
 */
#include "engine/mod_cidr.h"

#include <arpa/inet.h>
#include <string.h>

#include <lauxlib.h>

/* Address space that is not routable on the internet (IANA special-purpose registries). */
static const char *const special_ranges[] = {
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
	"::/128", "::1/128", "::ffff:0:0/96", "100::/64", "2001:db8::/32", "3fff::/20",
	"fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", NULL,
};

static void clear_host_bits(struct cidr *c)
{
	for (int i = 0; i < c->bits / 8; i++) {
		int keep = c->prefix - i * 8;
		if (keep <= 0)
			c->addr[i] = 0;
		else if (keep < 8)
			c->addr[i] &= (uint8_t)(0xFF << (8 - keep));
	}
}

bool mod_cidr_parse(const char *s, struct cidr *out)
{
	char host[64];
	const char *slash = strchr(s, '/');
	size_t hlen = slash ? (size_t)(slash - s) : strlen(s);
	if (hlen == 0 || hlen >= sizeof host)
		return false;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, host, out->addr) == 1)
		out->bits = 32;
	else if (inet_pton(AF_INET6, host, out->addr) == 1)
		out->bits = 128;
	else
		return false;
	out->prefix = out->bits;
	if (slash) {
		const char *p = slash + 1;
		int prefix = 0;
		if (!*p || strlen(p) > 3)
			return false;
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return false;
			prefix = prefix * 10 + (*p - '0');
		}
		if (prefix > out->bits)
			return false;
		out->prefix = prefix;
	}
	clear_host_bits(out);
	return true;
}

/* True when the first n bits of a and b agree. */
static bool same_prefix(const uint8_t *a, const uint8_t *b, int n)
{
	int whole = n / 8, rest = n % 8;
	if (memcmp(a, b, (size_t)whole) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xFF << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

bool mod_cidr_contains(const struct cidr *net, const struct cidr *inner)
{
	return net->bits == inner->bits && inner->prefix >= net->prefix &&
	       same_prefix(net->addr, inner->addr, net->prefix);
}

bool mod_cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
	int n = a->prefix < b->prefix ? a->prefix : b->prefix;
	return a->bits == b->bits && same_prefix(a->addr, b->addr, n);
}

/* True when the special ranges together cover all of net: one contains it, or it is split
 * by one and both halves are covered. */
static bool covered(const struct cidr *net)
{
	bool overlapped = false;
	for (int i = 0; special_ranges[i]; i++) {
		struct cidr sp;
		mod_cidr_parse(special_ranges[i], &sp);
		if (mod_cidr_contains(&sp, net))
			return true;
		overlapped = overlapped || mod_cidr_overlaps(&sp, net);
	}
	if (!overlapped || net->prefix >= net->bits)
		return false;
	struct cidr half = *net;
	half.prefix++;
	if (!covered(&half))
		return false;
	half.addr[net->prefix / 8] |= (uint8_t)(0x80 >> (net->prefix % 8));
	return covered(&half);
}

bool mod_cidr_is_public(const struct cidr *net)
{
	return !covered(net);
}

/* Parses argument i; on failure pushes nil and a message and returns false. */
static bool arg_cidr(lua_State *L, int i, struct cidr *out)
{
	const char *s = lua_type(L, i) == LUA_TSTRING ? lua_tostring(L, i) : NULL;
	if (s && mod_cidr_parse(s, out))
		return true;
	lua_pushnil(L);
	if (s)
		lua_pushfstring(L, "invalid address or CIDR '%s'", s);
	else
		lua_pushfstring(L, "address or CIDR expected, got %s", luaL_typename(L, i));
	return false;
}

static int cidr_contains(lua_State *L)
{
	struct cidr a, b;
	if (!arg_cidr(L, 1, &a) || !arg_cidr(L, 2, &b))
		return 2;
	lua_pushboolean(L, mod_cidr_contains(&a, &b));
	return 1;
}

static int cidr_overlaps(lua_State *L)
{
	struct cidr a, b;
	if (!arg_cidr(L, 1, &a) || !arg_cidr(L, 2, &b))
		return 2;
	lua_pushboolean(L, mod_cidr_overlaps(&a, &b));
	return 1;
}

static int cidr_is_public(lua_State *L)
{
	struct cidr a;
	if (!arg_cidr(L, 1, &a))
		return 2;
	lua_pushboolean(L, mod_cidr_is_public(&a));
	return 1;
}

static int cidr_is_any(lua_State *L)
{
	struct cidr a;
	if (!arg_cidr(L, 1, &a))
		return 2;
	lua_pushboolean(L, a.prefix == 0);
	return 1;
}

static int cidr_valid(lua_State *L)
{
	struct cidr a;
	lua_pushboolean(L, lua_type(L, 1) == LUA_TSTRING && mod_cidr_parse(lua_tostring(L, 1), &a));
	return 1;
}

static const luaL_Reg cidr_funcs[] = {
	{"contains", cidr_contains},
	{"overlaps", cidr_overlaps},
	{"is_public", cidr_is_public},
	{"is_any", cidr_is_any},
	{"valid", cidr_valid},
	{NULL, NULL},
};

void mod_cidr_push(lua_State *L)
{
	luaL_newlib(L, cidr_funcs);
}
