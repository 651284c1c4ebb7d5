#!/usr/bin/env bash
# Builds the .deb of a configured and built preset with CPack, installs it with apt on this
# machine (its dependencies from Debian's archive), checks the installed application as a user
# would, and removes it again. Needs root (or sudo). CI runs it on the ci preset after the tests.
#   packaging/deb-test.sh [PRESET]      (default: release; a package to ship: portable)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
build=build/$preset
id=io.github.latentscape.Latentscape
fail() { echo "deb-test: FAIL: $*" >&2; exit 1; }
[ -f "$build/CPackConfig.cmake" ] || fail "$build is not configured: cmake --preset $preset && cmake --build --preset $preset"

rm -rf "$build/packages"
cpack --preset "$preset" > "$build/cpack.log" || { cat "$build/cpack.log"; fail "cpack"; }
deb=$(ls "$build"/packages/latentscape_*.deb)
echo "deb-test: built $deb ($(stat -c %s "$deb") bytes)"
dpkg-deb --field "$deb" Package Version Architecture Depends
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/latentscape ./usr/bin/latentscape-cli ./usr/share/applications/$id.desktop \
         ./usr/share/metainfo/$id.metainfo.xml ./usr/share/man/man1/latentscape-cli.1.gz \
         ./usr/lib/python3/dist-packages/latentscape/__init__.py; do
  case "$contents" in *" $f"$'\n'*|*" $f") ;; *) fail "the package lacks $f" ;; esac
done
case "$contents" in *tst_*|*latentscape-icons*|*/build/*) fail "the package holds test or build files" ;; esac

# As root, or through sudo without a password prompt (-n: CI must not wait for one); sudo resets
# the environment, so apt's non-interactive mode is passed on explicitly.
APT=(env DEBIAN_FRONTEND=noninteractive apt-get)
if [ "$(id -u)" -ne 0 ]; then APT=(sudo -n "${APT[@]}"); fi
status=$(dpkg-query -W -f='${Status}' latentscape 2>/dev/null || true)
if [ -n "$status" ] && [ "$status" != "unknown ok not-installed" ] && [ "${status##* }" != "config-files" ]; then
  fail "a latentscape package is already on this machine ($status); remove it first (apt-get purge latentscape)"
fi
# Purged on the way out, also after a failed or half-done install.
trap '"${APT[@]}" purge -y -qq latentscape > /dev/null 2>&1 || true' EXIT
"${APT[@]}" install -y -qq --no-install-recommends "$(realpath "$deb")" > "$build/apt.log" 2>&1 \
  || { cat "$build/apt.log"; fail "apt-get install"; }

# As installed: the programs on PATH, the Python module on Python's path, the desktop files
# registered by Debian's triggers (MIME database), the man pages found by man.
[ "$(command -v latentscape-cli)" = /usr/bin/latentscape-cli ] || fail "latentscape-cli is not /usr/bin's"
packaging/smoke-test.sh /usr 2>&1 | grep -v XDG_RUNTIME_DIR
linked=$(ldd /usr/bin/latentscape)
case "$linked" in *libQt5*) fail "the installed app links Qt 5" ;; esac
[ "$(/usr/bin/python3 -c 'import latentscape; print(latentscape.__file__)')" = \
  /usr/lib/python3/dist-packages/latentscape/__init__.py ] || fail "python3 does not import the installed module"
desktop-file-validate /usr/share/applications/$id.desktop || fail "desktop-file-validate"
appstreamcli validate --no-net --strict /usr/share/metainfo/$id.metainfo.xml > /dev/null || fail "appstreamcli validate"
grep -q "^application/x-npy$" /usr/share/mime/types || fail "the MIME database does not know application/x-npy"
# The package's Depends pull in every library its programs load: each one's owning package is in
# the closure of latentscape's dependencies (what a clean Debian 12 installs along with it).
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
            --no-enhances latentscape 2>/dev/null | grep -v '^ ' | sed 's/:.*//' | sort -u)
/usr/bin/python3 - "$closure" /usr/bin/latentscape /usr/bin/latentscape-cli /usr/bin/latentscape-bench <<'PY' \
  || fail "a library the programs load is not pulled in by the package's Depends"
import os, re, subprocess, sys
closure = set(sys.argv[1].split())
libs = set()
for exe in sys.argv[2:]:
    out = subprocess.run(["ldd", exe], capture_output=True, text=True, check=True).stdout
    libs.update(re.findall(r"=> (/\S+)", out))
def variants(path):  # merged /usr: a package may own the /lib or the /usr/lib spelling
    real = os.path.realpath(path)
    for p in (path, real):
        yield p
        yield p[4:] if p.startswith("/usr/") else "/usr" + p
owner_of = {}
candidates = sorted({v for lib in libs for v in variants(lib)})
out = subprocess.run(["dpkg", "-S"] + candidates, capture_output=True, text=True).stdout
for line in out.splitlines():
    pkgs, _, path = line.partition(": ")
    owner_of[path] = {p.split(":")[0] for p in pkgs.split(", ")}
bad, alternatives = [], 0
for lib in sorted(libs):
    if "/etc/alternatives/" in subprocess.run(["namei", lib], capture_output=True, text=True).stdout:
        alternatives += 1  # e.g. liblapack.so.3: Depends names the virtual package, any provider will do
        continue
    owners = set().union(*(owner_of.get(v, set()) for v in variants(lib)))
    if not owners & closure:
        bad.append("%s (%s)" % (lib, ", ".join(sorted(owners)) or "no package"))
if bad:
    print("deb-test: not pulled in by Depends:\n  " + "\n  ".join(bad))
    sys.exit(1)
print("deb-test: the %d libraries the programs load all come with the package's Depends (%d through alternatives)"
      % (len(libs), alternatives))
PY
[ "$(man -w latentscape-cli)" = /usr/share/man/man1/latentscape-cli.1.gz ] || fail "man does not find latentscape-cli(1)"
echo "deb-test: $(basename "$deb") installed, checked and (on exit) removed"
