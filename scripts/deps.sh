#!/bin/sh
# Makes sure the given Debian packages are installed.
# Usage: deps.sh PACKAGE...
# As root, installs what is missing with apt-get; otherwise prints the exact command and fails.
missing=""
for p in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
echo "moongate: missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >&2 && exit 0
	echo "moongate: apt-get install failed" >&2
	exit 1
fi
echo "moongate: run this as root, then try again:"
echo "    apt-get install -y$missing"
exit 1
