# scripts/lib/debian-source.sh — sourced, not run.
#
# Fetching Debian sources with a private apt configuration, shared by
# scripts/make-test-mirror.sh and scripts/cpython-e2e.sh: both find the Debian
# archive in the system's apt configuration and run `apt-get source
# --download-only` against lists and a cache of their own, never touching the
# system's. Kept in one place so the two cannot drift apart.
#
# scripts/setup-toolchain-25.sh uses the same private configuration with
# `deb` entries to `apt-get download` one binary package without installing it.
#
# Functions only: sourcing defines debian_archive_uri, debian_private_apt_sources,
# debian_private_apt_binary_sources and debian_private_apt_get and changes nothing else (no variables, no shell
# options, no traps). Callers do their own logging and error handling.
# shellcheck shell=bash

# debian_archive_uri [OVERRIDE]
# Prints OVERRIDE when it is not empty. Otherwise prints the URI of the main
# Debian archive from the system's apt configuration (sources.list and
# sources.list.d/*.list, *.sources): deb/deb-src entries that are enabled and
# not security archives; an URI whose path ends in /debian wins, then the first
# in apt's file order. Trailing slashes are dropped. Prints nothing when there
# is no candidate.
debian_archive_uri() {
  if [[ -n "${1:-}" ]]; then
    printf '%s\n' "$1"; return
  fi
  local sl sp
  eval "$(apt-config shell sl Dir::Etc::sourcelist/f sp Dir::Etc::sourceparts/d)"
  local files=()
  [[ -n "${sl:-}" && -f "$sl" ]] && files+=("$sl")
  if [[ -n "${sp:-}" && -d "$sp" ]]; then
    local f
    for f in "$sp"/*.list "$sp"/*.sources; do [[ -f "$f" ]] && files+=("$f"); done
  fi
  (( ${#files[@]} )) || return 0
  # Print "score uri" candidates: deb/deb-src entries that are not security
  # (or other non-`debian`) archives; an URI whose path ends in /debian wins.
  awk '
    function emit(uri, suites,   p) {
      if (uri == "" || suites ~ /-security/ || uri ~ /debian-security/) return
      p = uri; sub(/\/+$/, "", p)
      print ((p ~ /\/debian$/) ? 0 : 1), p
    }
    function flush(   n, i, u) {
      if (inst && types ~ /(^|[ \t])deb(-src)?([ \t]|$)/ && tolower(enabled) != "no") {
        n = split(uris, u, /[ \t]+/)
        for (i = 1; i <= n; i++) emit(u[i], suites)
      }
      inst = 0; types = uris = suites = enabled = ""
    }
    FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
    deb822 {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^#/) next
      if (match($0, /^[A-Za-z-]+:/)) {
        key = tolower(substr($0, 1, RLENGTH - 1)); val = substr($0, RLENGTH + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", val); inst = 1
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = val
      }
      next
    }
    /^[ \t]*deb(-src)?[ \t]/ {
      line = $0; sub(/#.*/, "", line)
      gsub(/\[[^]]*\]/, "", line)
      n = split(line, w, /[ \t]+/); k = 0
      for (i = 1; i <= n; i++) if (w[i] != "") f[++k] = w[i]
      if (k >= 3) emit(f[2], f[3])
    }
    END { flush() }
  ' "${files[@]}" | LC_ALL=C sort -s -k1,1n | head -n 1 | cut -d' ' -f2-
}

# debian_private_apt_sources APT_DIR KEYRING URI SUITE...
# Creates APT_DIR/lists and APT_DIR/cache and writes APT_DIR/sources.list with
# one `deb-src [signed-by=KEYRING] URI SUITE main` line per SUITE (through a
# temporary file, so the list is either complete or the previous one).
debian_private_apt_sources() { debian_private_apt_list deb-src "$@"; }

# debian_private_apt_binary_sources APT_DIR KEYRING URI SUITE...
# Like debian_private_apt_sources, with `deb` (binary package) entries instead
# of `deb-src`, for `apt-get download`.
debian_private_apt_binary_sources() { debian_private_apt_list deb "$@"; }

# debian_private_apt_list KIND APT_DIR KEYRING URI SUITE...: what both write,
# with KIND (`deb` or `deb-src`) at the start of each line.
debian_private_apt_list() {
  local kind="$1" apt_dir="$2" keyring="$3" uri="$4"; shift 4
  local s
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  : >"$apt_dir/sources.list.new"
  for s in "$@"; do
    printf '%s [signed-by=%s] %s %s main\n' "$kind" "$keyring" "$uri" "$s" >>"$apt_dir/sources.list.new"
  done
  mv "$apt_dir/sources.list.new" "$apt_dir/sources.list"
}

# debian_private_apt_get APT_DIR ARG...
# apt-get ARG... with APT_DIR/sources.list as the only source list and the
# lists and cache in APT_DIR; the system's sources, preferences, lists and
# cache are neither read nor written.
debian_private_apt_get() {
  local apt_dir="$1"; shift
  apt-get \
    -o "Dir::Etc::SourceList=$apt_dir/sources.list" \
    -o Dir::Etc::SourceParts=/nonexistent \
    -o Dir::Etc::Preferences=/nonexistent \
    -o Dir::Etc::PreferencesParts=/nonexistent \
    -o "Dir::State::Lists=$apt_dir/lists" \
    -o "Dir::Cache=$apt_dir/cache" \
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
    -o APT::Default-Release= \
    -o Acquire::Languages=none \
    -o APT::Sandbox::User=root \
    "$@"
}
