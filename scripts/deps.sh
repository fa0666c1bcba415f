#!/bin/sh
# Makes sure moongate's Debian build dependencies are installed.
# Usage: deps.sh "<debian packages>" "<pkg-config modules>"
# As root, installs what is missing with apt-get; otherwise prints the exact command and fails.
pkgs=$1
mods=$2
missing=""
command -v cmake >/dev/null 2>&1 || missing="cmake"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v cc >/dev/null 2>&1 || missing="$missing build-essential"
if command -v pkg-config >/dev/null 2>&1; then
	for m in $mods; do
		pkg-config --exists "$m" || missing="$missing $m"
	done
fi
[ -z "$missing" ] && exit 0
echo "moongate: missing build dependencies:$missing"
if [ "$(id -u)" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq $pkgs && exit 0
	echo "moongate: apt-get install failed" >&2
	exit 1
fi
echo "moongate: run this as root, then try again:"
echo "    apt-get install -y $pkgs"
exit 1
