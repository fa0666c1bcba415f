/* Glob matching (see mod_glob.h): linear backtracking over the last `*`, no recursion. */
#include "engine/mod_glob.h"

#include <lauxlib.h>

/* Matches the bracket expression at p (just after '[') against c. Returns the pattern length
 * consumed after the '[', or 0 when the expression is not closed (then '[' is literal). */
static int bracket(const char *p, unsigned char c, bool *matched)
{
	const char *start = p;
	bool negate = *p == '!' || *p == '^';
	if (negate)
		p++;
	bool hit = false;
	bool first = true;
	while (*p && (*p != ']' || first)) {
		unsigned char lo = (unsigned char)*p, hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = (unsigned char)p[2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			hit = true;
		p++;
		first = false;
	}
	if (*p != ']')
		return 0;
	*matched = hit != negate;
	return (int)(p + 1 - start);
}

/* Matches one pattern element at p against *s; returns its length or -1 on mismatch. */
static int match_one(const char *p, const char *s)
{
	if (*p == '?')
		return 1;
	if (*p == '[') {
		bool matched = false;
		int n = bracket(p + 1, (unsigned char)*s, &matched);
		if (n > 0)
			return matched ? n + 1 : -1;
		return *s == '[' ? 1 : -1;
	}
	if (*p == '\\' && p[1]) {
		return p[1] == *s ? 2 : -1;
	}
	return *p == *s ? 1 : -1;
}

bool mod_glob_match(const char *pattern, const char *s)
{
	const char *p = pattern;
	const char *star_p = NULL, *star_s = NULL;
	while (*s) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return true;
			star_p = p;
			star_s = s;
			continue;
		}
		int n = *p ? match_one(p, s) : -1;
		if (n > 0) {
			p += n;
			s++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

int mod_glob_lua(lua_State *L)
{
	const char *pattern = luaL_checkstring(L, 1);
	if (lua_type(L, 2) != LUA_TSTRING) {
		lua_pushboolean(L, 0);
		return 1;
	}
	lua_pushboolean(L, mod_glob_match(pattern, lua_tostring(L, 2)));
	return 1;
}
