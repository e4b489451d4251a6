#!/usr/bin/env bash
# Builds an arm64 Debian sysroot holding Node.js, so that arm64 code can run on an x86-64 machine
# under qemu-user: `qemu-aarch64 -L <sysroot> <sysroot>/usr/bin/node script.js`.
#
# The packages come from the machine's own Debian mirror through apt, with private state (lists,
# cache, an empty dpkg status) under the cache directory, so the host's apt configuration and
# installed packages are neither read nor changed. Nothing is installed: each .deb is unpacked
# with `dpkg -x`. Needs apt-get, dpkg and (to run anything) qemu-user.
#
# Usage: packages/codegen-arm64/emulation/build-sysroot.sh            (idempotent; re-run to refresh)
# Env:   FLINT_ARM64_CACHE  cache root (default: <repo>/.cache), gitignored
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
CACHE="${FLINT_ARM64_CACHE:-$REPO/.cache}"
SYSROOT="$CACHE/arm64-sysroot"
STATE="$CACHE/arm64-apt"

# Debian bookworm's Node 18 and the shared libraries it links against; node-acorn,
# node-cjs-module-lexer and node-undici are bundled into upstream Node but separate in Debian.
PACKAGES=(nodejs libnode108 libc6 libuv1 libicu72 libssl3 zlib1g libbrotli1 libc-ares2 libnghttp2-14
  libstdc++6 libgcc-s1 node-acorn node-cjs-module-lexer node-undici)

# The host's mirror and suite, read from its deb822 sources; deb.debian.org/bookworm otherwise.
mirror="http://deb.debian.org/debian"
suite="bookworm"
if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
  uri="$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  codename="$(awk '/^Suites:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  [[ -n "$uri" ]] && mirror="$uri"
  [[ -n "$codename" ]] && suite="$codename"
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$STATE/lists/partial" "$STATE/cache/archives/partial" "$STATE/debs" "$SYSROOT"
cat >"$STATE/sources.list" <<SOURCES
deb [arch=arm64 signed-by=$keyring] $mirror $suite main
deb [arch=arm64 signed-by=$keyring] $mirror $suite-updates main
deb [arch=arm64 signed-by=$keyring] ${mirror%/debian}/debian-security $suite-security main
SOURCES
: >"$STATE/status"

APT_OPTS=(
  -o APT::Architecture=arm64
  -o APT::Architectures=arm64
  -o Dir::State::Lists="$STATE/lists"
  -o Dir::State::status="$STATE/status"
  -o Dir::Cache="$STATE/cache"
  -o Dir::Etc::SourceList="$STATE/sources.list"
  -o Dir::Etc::SourceParts=/dev/null
  -o Debug::NoLocking=1
)
# apt drops to the _apt user for downloads, which cannot write into a root-owned cache dir.
[[ "$(id -u)" == 0 ]] && APT_OPTS+=(-o APT::Sandbox::User=root)

echo "== apt-get update (arm64, $mirror $suite)"
apt-get "${APT_OPTS[@]}" update -qq

echo "== apt-get download ${#PACKAGES[@]} packages"
rm -f "$STATE/debs"/*.deb
(cd "$STATE/debs" && apt-get "${APT_OPTS[@]}" download -qq "${PACKAGES[@]}")

echo "== unpacking into $SYSROOT"
for deb in "$STATE/debs"/*.deb; do
  dpkg -x "$deb" "$SYSROOT"
done

echo "sysroot ready: $SYSROOT"
echo "run: qemu-aarch64 -L $SYSROOT $SYSROOT/usr/bin/node script.js   (or packages/codegen-arm64/emulation/node.sh script.js)"
