#!/usr/bin/env bash
# The packaged mrgen on a machine with no Swift and no libyaml: unpacks
# dist/mrgen-*.tar.gz (from scripts/package) into a minimal Debian root made by
# debootstrap, checks that root holds neither Swift nor libyaml nor RE2, and
# renders overlays/postgres (and a composed build) there. The output must be
# the bytes the mrgen built here prints.
#
#   Tests/package/test_debootstrap.sh MRGEN
#
# The root is made once (debootstrap --variant=minbase bookworm, from the
# Debian mirror apt uses) and kept in $MRGEN_DEBOOTSTRAP_ROOT; each run works in
# a folder of its own inside it and removes it. Needs root (chroot, mount).
set -euo pipefail
cd "$(dirname "$0")/../.."
mrgen=$(realpath "$1")
root=${MRGEN_DEBOOTSTRAP_ROOT:-/var/tmp/mrgen-bookworm-minbase}
mirror=${MRGEN_DEBIAN_MIRROR:-http://deb.debian.org/debian}

version=$("$mrgen" version -o yaml | sed -n 's/^mrgen: //p')
tarball=dist/mrgen-$version-linux-$(uname -m).tar.gz
[ -n "$version" ] && [ -f "$tarball" ] || { echo "no $tarball: run scripts/package first" >&2; exit 1; }
(cd dist && sha256sum --quiet -c "$(basename "$tarball").sha256")

if [ ! -f "$root/.mrgen-complete" ]; then
  rm -rf "$root"
  echo "debootstrap: making a minimal bookworm root in $root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" > /tmp/mrgen-debootstrap.log 2>&1 ||
    { tail -n 20 /tmp/mrgen-debootstrap.log; exit 1; }
  touch "$root/.mrgen-complete"
fi

# The root must lack what the package claims not to need. (It has libstdc++,
# which apt uses; the ldd line below shows that mrgen does not ask for it.)
for library in libyaml libre2 libswiftCore libFoundation libdispatch; do
  if [ -n "$(find "$root/usr/lib" "$root/lib" -name "$library*" -print -quit 2>/dev/null)" ]; then
    echo "the debootstrap root holds $library: the test would prove nothing" >&2; exit 1
  fi
done
if chroot "$root" sh -c 'command -v swift' >/dev/null 2>&1; then echo "the root has swift" >&2; exit 1; fi

work=/opt/mrgen-test-$$
trap 'rm -rf "$root$work"' EXIT
mkdir -p "$root$work/tree"
tar -xzf "$tarball" -C "$root$work"
binary=$(ls -d "$root$work"/mrgen-*/mrgen)
binary=${binary#"$root"}
tar -cf - bases overlays options examples | tar -xf - -C "$root$work/tree"

# Inside the root: its own /proc (mrgen reads /proc/self/fd to confirm paths), nothing else from here.
inside() {
  unshare --mount --fork sh -c 'mount -t proc proc "$1/proc" && shift && exec chroot "$@"' sh "$root" "$root" \
    env -i PATH=/usr/bin:/bin HOME=/root sh -c "cd $work/tree && $*"
}

needs=$(inside "ldd $binary" | awk '{print $1}' | tr '\n' ' ')
echo "ldd in the root: $needs"
failed=0
for library in $needs; do
  case $library in
    linux-vdso.so.1 | /lib64/ld-linux-* | /lib/ld-linux-* | libc.so.6 | libm.so.6) ;;
    *) echo "DIFFERS: the binary needs $library in the root"; failed=1 ;;
  esac
done
for command in "build overlays/postgres" "build overlays/mysql --with oauth,secure-db,cert-manager" "version"; do
  # shellcheck disable=SC2086
  expected=$("$mrgen" $command | sha256sum)
  actual=$(inside "$binary $command" | sha256sum)
  if [ "$expected" = "$actual" ]; then
    echo "same bytes: mrgen $command"
  else
    echo "DIFFERS: mrgen $command"; failed=1
  fi
done
exit $failed
