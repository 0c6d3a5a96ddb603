#!/bin/bash
# conformance/setup.sh: everything the harness needs to boot real kernels in QEMU.
#   - host tools (qemu-system-x86, qemu-system-arm, busybox-static, cpio, xz-utils, kmod), installed when missing
#   - Debian kernel packages 6.1, 6.12 and 7.2 for amd64 and arm64, fetched through a private apt
#     configuration (nothing is installed from them; they are unpacked under conformance/.cache/kernels)
#   - busybox-static for arm64, downloaded and unpacked (a foreign architecture is never installed)
# Idempotent: what is already in conformance/.cache is kept. Ends with the list of kernels it has.
set -uo pipefail
exec </dev/null
export DEBIAN_FRONTEND=noninteractive

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$HERE/.cache"
APTDIR="$CACHE/apt"
mkdir -p "$APTDIR" "$CACHE/debs" "$CACHE/kernels"

FAILED=()
fail() { echo "setup: FAILED: $*" >&2; FAILED+=("$*"); }
log() { echo "setup: $*"; }

# ---------------------------------------------------------------- host packages
need=()
for p in qemu-system-x86 qemu-system-arm busybox-static cpio xz-utils kmod; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  log "installing ${need[*]}"
  $SUDO apt-get update -q || fail "apt-get update (host) failed"
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" || fail "apt-get install ${need[*]} failed"
else
  log "host packages present (qemu-system-x86 qemu-system-arm busybox-static cpio xz-utils kmod)"
fi

# ---------------------------------------------------------------- private apt configuration
cat >"$APTDIR/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
EOF

aptopts() { # $1 = amd64 | arm64
  local a=$1
  mkdir -p "$APTDIR/lists-$a/partial" "$APTDIR/cache-$a/archives/partial"
  echo "-o Dir::Etc::SourceList=$APTDIR/sources.list -o Dir::Etc::SourceParts=/dev/null" \
       "-o Dir::State::Lists=$APTDIR/lists-$a -o Dir::Cache=$APTDIR/cache-$a" \
       "-o APT::Architecture=$a -o APT::Architectures=$a -o APT::Sandbox::User=root"
}

declare -A UPDATED=()
apt_update() { # once per architecture per run, and only when the lists are missing or older than a day
  local a=$1
  [ -n "${UPDATED[$a]:-}" ] && return 0
  UPDATED[$a]=1
  if [ -n "$(find "$APTDIR/lists-$a" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    return 0
  fi
  log "apt-get update ($a)"
  # shellcheck disable=SC2046
  apt-get $(aptopts "$a") -q update >"$APTDIR/update-$a.log" 2>&1 || {
    fail "apt-get update for $a failed (see $APTDIR/update-$a.log)"; tail -5 "$APTDIR/update-$a.log" >&2; return 1; }
}

# newest package whose name matches an extended regex
newest() { # arch regex
  # shellcheck disable=SC2046
  apt-cache $(aptopts "$1") pkgnames 2>/dev/null | grep -E "$2" | sort -V | tail -1
}

download() { # arch dir pkg...
  local a=$1 d=$2; shift 2
  mkdir -p "$d"
  local p
  for p in "$@"; do
    if ls "$d/${p}_"*.deb >/dev/null 2>&1; then continue; fi
    log "downloading $p ($a)"
    # shellcheck disable=SC2046
    (cd "$d" && apt-get $(aptopts "$a") -q download "$p" >"$d/download.log" 2>&1) || {
      fail "package $p ($a) could not be downloaded: $(grep -E '^E:' "$d/download.log" | head -2 | tr '\n' ' ')"; return 1; }
  done
}

# ---------------------------------------------------------------- kernels
fetch_kernel() { # kver arch(amd64|arm64)
  local kv=$1 a=$2 key="$1-$2"
  local dest="$CACHE/kernels/$key"
  if [ -s "$dest/kernel.env" ]; then log "kernel $key already unpacked"; return 0; fi
  apt_update "$a" || return 1
  local pkgs=()
  case $kv in
    6.1)
      local p; p=$(newest "$a" "^linux-image-6\.1\.0-[0-9]+-$a-unsigned\$")
      [ -n "$p" ] || p=$(newest "$a" "^linux-image-6\.1\.0-[0-9]+-$a\$")
      [ -n "$p" ] || { fail "no linux-image-6.1.0-*-$a in bookworm/bookworm-security"; return 1; }
      pkgs=("$p");;
    6.12)
      local p; p=$(newest "$a" "^linux-image-6\.12\.[0-9]+\+deb12-$a-unsigned\$")
      [ -n "$p" ] || { fail "no linux-image-6.12.*+deb12-$a-unsigned in bookworm-backports/bookworm-security"; return 1; }
      pkgs=("$p");;
    7.2)
      local b m; b=$(newest "$a" "^linux-binary-7\.2\.[0-9]+(\+[a-z0-9]+)?-$a\$")
      [ -n "$b" ] || { fail "no linux-binary-7.2.*-$a in sid"; return 1; }
      m="linux-modules-${b#linux-binary-}"
      pkgs=("$b" "$m");;
  esac
  local dd="$CACHE/debs/$key"
  download "$a" "$dd" "${pkgs[@]}" || return 1
  rm -rf "$dest.tmp" && mkdir -p "$dest.tmp/root"
  local deb
  for deb in "$dd"/*.deb; do
    dpkg-deb -x "$deb" "$dest.tmp/root" || { fail "dpkg-deb -x $deb failed"; return 1; }
  done
  # locate the kernel image and the module tree
  local r="$dest.tmp/root" modroot ver vmlinuz
  if [ -d "$r/usr/lib/modules" ] && [ -n "$(ls "$r/usr/lib/modules" 2>/dev/null)" ]; then modroot="$r/usr"; else modroot="$r"; fi
  ver=$(ls "$modroot/lib/modules" | sort -V | tail -1)
  if [ -f "$modroot/lib/modules/$ver/vmlinuz" ]; then vmlinuz="$modroot/lib/modules/$ver/vmlinuz"
  elif [ -f "$r/boot/vmlinuz-$ver" ]; then vmlinuz="$r/boot/vmlinuz-$ver"
  else vmlinuz=$(ls "$r"/boot/vmlinuz-* "$r"/usr/lib/modules/*/vmlinuz 2>/dev/null | head -1); fi
  [ -n "$ver" ] && [ -f "$vmlinuz" ] || { fail "kernel $key: no vmlinuz or module tree in ${pkgs[*]}"; return 1; }
  # the 7.2 modules package ships no modules.order/modules.builtin text files: depmod warns, harmlessly
  depmod -b "$modroot" "$ver" 2> >(grep -v 'could not open modules\.' >&2) || { fail "depmod for $key failed"; return 1; }
  rm -rf "$dest" && mv "$dest.tmp" "$dest"
  # paths relative to the kernel's folder, so the cache may move with the tree
  modroot=${modroot#"$dest.tmp/"}; vmlinuz=${vmlinuz#"$dest.tmp/"}
  {
    echo "KVER=$kv"; echo "ARCH=$a"; echo "VERSION=$ver"
    echo "VMLINUZ=$vmlinuz"; echo "MODROOT=$modroot"; echo "PACKAGES='${pkgs[*]}'"
  } >"$dest/kernel.env"
  log "kernel $key: $ver"
}

for a in amd64 arm64; do
  for kv in 6.1 6.12 7.2; do
    fetch_kernel "$kv" "$a" || true
  done
done

# ---------------------------------------------------------------- busybox for arm64 guests
BB="$CACHE/busybox-arm64/bin/busybox"
if [ ! -x "$BB" ]; then
  if apt_update arm64 && download arm64 "$CACHE/debs/busybox-arm64" busybox-static; then
    rm -rf "$CACHE/busybox-arm64.tmp" && mkdir -p "$CACHE/busybox-arm64.tmp"
    dpkg-deb -x "$CACHE/debs/busybox-arm64/"busybox-static_*.deb "$CACHE/busybox-arm64.tmp/x" &&
      mkdir -p "$CACHE/busybox-arm64.tmp/bin" &&
      cp "$(ls "$CACHE/busybox-arm64.tmp/x/usr/bin/busybox" "$CACHE/busybox-arm64.tmp/x/bin/busybox" 2>/dev/null | head -1)" \
        "$CACHE/busybox-arm64.tmp/bin/busybox" &&
      rm -rf "$CACHE/busybox-arm64.tmp/x" "$CACHE/busybox-arm64" && mv "$CACHE/busybox-arm64.tmp" "$CACHE/busybox-arm64" ||
      fail "busybox-static:arm64 could not be unpacked"
  fi
fi

# ---------------------------------------------------------------- summary
echo
echo "kernels in $CACHE/kernels:"
for e in "$CACHE"/kernels/*/kernel.env; do
  [ -f "$e" ] || continue
  # shellcheck disable=SC1090
  ( . "$e"; printf '  %-5s %-6s %-28s %s\n' "$KVER" "$ARCH" "$VERSION" "$PACKAGES" )
done
if [ -x /bin/busybox ] || [ -x /usr/bin/busybox ]; then echo "busybox amd64: $(command -v busybox)"; fi
[ -x "$BB" ] && echo "busybox arm64: $BB"
if ((${#FAILED[@]})); then
  echo; echo "setup: ${#FAILED[@]} problem(s):"; printf '  - %s\n' "${FAILED[@]}"; exit 1
fi
echo "setup: ok"
