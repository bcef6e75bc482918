#!/usr/bin/env bash
# make-test-mirror.sh [ROOT]
#
# Builds a local, offline stand-in for github.com/python/cpython-source-deps
# from Debian's pristine upstream tarballs (`apt-get source --download-only`)
# and, for sources Debian lacks (zlib-ng), from a Python package's sdist that
# bundles them (`pip download`, pinned by version and sha256).
#
#   ROOT (default: <repo>/.test-env)
#   ├── debian-src/<suite>/<pkg>_<version>.orig.tar.*   downloads, reused
#   ├── sdist/<package>-<version>/<sdist>.tar.gz        downloads, reused
#   ├── apt/                                            private apt lists/cache
#   └── mirror/
#       ├── cpython-source-deps.git                     bare repository
#       └── tags.tsv                                    tag, commit, tree, kind
#
# Shape of the repository (like upstream): branch `main` holds only README.md;
# every dependency version is a tag `<name>-<version>` whose tree is the
# upstream source at the repository root (tarball's top folder stripped). Each
# tag points at (or, for annotated tags, peels to) a root commit of its own:
# no parent, not on `main`. `sqlite-*` tags hold only the amalgamation
# (sqlite3.c, sqlite3.h, sqlite3ext.h, shell.c), generated from Debian's full
# source tree.
#
# File modes follow the real repository, per tag (TAGS_TABLE's modes column):
# `keep` stores the tarball's modes (executables 100755, symlinks 120000);
# `644` stores every file as 100644, as the real repository does for tags that
# were imported without executable bits (xz-5.2.5: `./configure` there gives
# "Permission denied"). Like the real tag, xz-5.2.5 also holds a README.md and
# a windows/config.h next to the tarball's files (short placeholders written
# by this script, not copies of the real files).
#
# Suites: each tag names the Debian suite its tarball comes from (bullseye for
# xz 5.2.5, bookworm, trixie, forky for zstd 1.5.7); the private apt
# configuration lists exactly the suites the table names.
#
# Commits and tags are deterministic: fixed identities and dates, the user's
# and the system's git configuration are ignored, so the same tarballs always
# give the same tree, commit and tag ids.
#
# Idempotent: when mirror/tags.tsv exists, was made by this very script
# (mirror/.stamp holds the script's sha256) and the bare repository's tags
# match it, the script only prints tags.tsv. Otherwise it builds a new mirror
# in a temporary folder below ROOT and moves it into place, so an interrupted
# run never leaves a half-built mirror behind. Runs are serialised with flock.
#
# The Debian archive's URI is read from the system's apt configuration (or
# $MAKE_TEST_MIRROR_DEBIAN_URI); the system's apt lists are never touched.
set -euo pipefail

# log, die.
# shellcheck source=lib/log.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/log.sh"

case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
esac

# ---------------------------------------------------------------------------
# What to build. One line per tag:
#   tag  kind  modes  debian-source-package  suite  upstream-version
# modes: `keep` stores the tarball's file modes (100644, 100755, symlinks
# 120000); `644` stores every file as 100644, no executable bits, as the real
# repository does for some tags (xz-5.2.5: `configure` and `build-aux/*` are
# 100644 there; zstd-1.5.7 keeps its 100755 scripts and two symlinks). A `644`
# tarball must hold no symlinks.
TAGS_TABLE='
zlib-1.2.13       lightweight  keep  zlib       bookworm  1.2.13
zlib-1.3.1        annotated    keep  zlib       trixie    1.3.1
bzip2-1.0.8       lightweight  keep  bzip2      bookworm  1.0.8
xz-5.2.5          lightweight  644   xz-utils   bullseye  5.2.5
xz-5.4.1          annotated    keep  xz-utils   bookworm  5.4.1
xz-5.8.1          lightweight  keep  xz-utils   trixie    5.8.1
libffi-3.4.4      lightweight  keep  libffi     bookworm  3.4.4
mpdecimal-4.0.1   annotated    keep  mpdecimal  trixie    4.0.1
sqlite-3.40.1.0   lightweight  keep  sqlite3    bookworm  3.40.1
sqlite-3.46.1.0   annotated    keep  sqlite3    trixie    3.46.1
zstd-1.5.7        annotated    keep  libzstd    forky     1.5.7
openssl-3.0.20    lightweight  644   openssl    bookworm  3.0.20
'
# Tags whose pristine source comes from a Python package's sdist instead (no
# Debian package has it), one line per tag:
#   tag  kind  modes  python-package  sdist-version  sdist-sha256  folder-in-sdist
# The sdist is fetched with `pip download --no-deps --no-binary :all:` into
# ROOT/sdist/ and must match the sha256; the tag's tree is the folder named
# (a git submodule's `.git` file in it is dropped). zlib-ng: no sdist bundles
# 2.2.4 (the tag CPython uses); zlib-ng 1.0.0 bundles 2.2.5 (0.5.1: 2.1.5,
# 1.1.0: 2.3.3). The real zlib-ng tags store every file as 100644.
SDIST_TABLE='
zlib-ng-2.2.5  lightweight  644  zlib-ng  1.0.0  c753cea73f9e803c246e9bf01a59eb652897ed8a19334ada0f968394c7f61650  src/zlib_ng/zlib-ng
'
# The Debian suites to fetch from: every suite the table names.
mapfile -t SUITES < <(awk 'NF { print $5 }' <<<"$TAGS_TABLE" | LC_ALL=C sort -u)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

# Fixed identities and dates (2024-01-01T00:00:00Z) for every object.
export GIT_AUTHOR_NAME='cpython-source-deps test mirror'
export GIT_AUTHOR_EMAIL='test-mirror@wasi-externals.invalid'
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE='1704067200 +0000'
export GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"

# ---------------------------------------------------------------------------
# Paths.
script_path="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
repo_dir="$(cd "$(dirname "$script_path")/.." && pwd)"
# debian_archive_uri, debian_private_apt_sources, debian_private_apt_get.
# shellcheck source=lib/debian-source.sh
source "$(dirname "$script_path")/lib/debian-source.sh"
root="${1:-$repo_dir/.test-env}"
mkdir -p "$root"
root="$(cd "$root" && pwd)"
dl_dir="$root/debian-src"
mirror="$root/mirror"
bare_name=cpython-source-deps.git
bare="$mirror/$bare_name"
tsv="$mirror/tags.tsv"
stamp="$mirror/.stamp"

# ---------------------------------------------------------------------------
# Git, isolated from the environment and from user/system configuration.
for v in $(git rev-parse --local-env-vars 2>/dev/null) GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_NAMESPACE GIT_CEILING_DIRECTORIES; do
  unset "$v"
done
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_ATTR_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
g() {
  git -c core.autocrlf=false -c core.eol=lf -c core.safecrlf=false \
      -c core.fileMode=true -c core.symlinks=true -c core.ignoreCase=false \
      -c core.precomposeUnicode=false -c core.attributesFile=/dev/null \
      -c core.excludesFile=/dev/null -c core.hooksPath=/dev/null \
      -c commit.gpgSign=false -c tag.gpgSign=false -c gc.auto=0 \
      -c init.defaultBranch=main -c advice.detachedHead=false "$@"
}

# `tag kind commit tree`, sorted, for all tags of a bare repository (one git call).
repo_tags() {
  g --git-dir="$1" for-each-ref \
    --format='%(refname:strip=2)%09%(if)%(*objectname)%(then)%(*objectname)%09%(*tree)%09annotated%(else)%(objectname)%09%(tree)%09lightweight%(end)' \
    refs/tags | LC_ALL=C sort
}

recipe_id="$(sha256sum "$script_path" | cut -d' ' -f1)"

mirror_is_current() {
  [[ -f "$tsv" && -f "$stamp" && -d "$bare" ]] || return 1
  [[ "$(cat "$stamp")" == "$recipe_id" ]] || return 1
  local want have
  want="$(tail -n +2 "$tsv" | LC_ALL=C sort)"
  have="$(repo_tags "$bare" 2>/dev/null)" || return 1
  [[ -n "$want" && "$want" == "$have" ]]
}

finish() {
  log "mirror: $bare"
  cat "$tsv"
  exit 0
}

# Fast path: nothing to do (no lock, no other process).
if mirror_is_current; then
  log "up to date"
  finish
fi

# ---------------------------------------------------------------------------
# Slow path: serialise with other runs, then re-check.
exec 9>"$root/.make-test-mirror.lock"
flock 9
if mirror_is_current; then
  log "up to date (built by a concurrent run)"
  finish
fi
umask 022
shopt -s nullglob
rm -rf "$root"/.work.*            # left over by killed runs (we hold the lock)
work="$(mktemp -d "$root/.work.XXXXXX")"
declare -A sqlite_pid=()   # background jobs, each the leader of its own process group
cleanup() {
  local p
  for p in "${sqlite_pid[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
t_start=$SECONDS

# The upstream .orig tarball downloaded for PKG from SUITE, or nothing.
tarball_for() { # pkg suite
  local f found=()
  for f in "$dl_dir/$2/$1"_*.orig.tar.*; do
    [[ "$f" == *.asc ]] && continue
    found+=("$f")
  done
  if (( ${#found[@]} > 1 )); then die "several tarballs for $1/$2: ${found[*]}"; fi
  if (( ${#found[@]} == 1 )); then printf '%s\n' "${found[0]}"; fi
  return 0
}

# ---------------------------------------------------------------------------
# 1. Downloads (only what is missing).
declare -a need=()
while read -r tag kind modes pkg suite version; do
  [[ -z "$tag" ]] && continue
  if [[ -z "$(tarball_for "$pkg" "$suite")" ]]; then
    [[ " ${need[*]-} " == *" $pkg/$suite "* ]] || need+=("$pkg/$suite")
  fi
done <<<"$TAGS_TABLE"

if (( ${#need[@]} )); then
  command -v apt-get >/dev/null || die "apt-get not found; put the tarballs into $dl_dir/<suite>/ by hand"
  [[ -r "$KEYRING" ]] || die "$KEYRING missing (package debian-archive-keyring)"
  uri="$(debian_archive_uri "${MAKE_TEST_MIRROR_DEBIAN_URI:-}")"
  [[ -n "$uri" ]] || die "no Debian archive found in the apt configuration; set MAKE_TEST_MIRROR_DEBIAN_URI"
  log "Debian archive from the apt configuration: $uri"
  apt_dir="$root/apt"
  debian_private_apt_sources "$apt_dir" "$KEYRING" "$uri" "${SUITES[@]}"
  log "apt-get update (private lists in $apt_dir/lists)"
  if ! debian_private_apt_get "$apt_dir" -q update >"$work/apt-update.log" 2>&1; then
    cat "$work/apt-update.log" >&2
    die "apt-get update failed"
  fi
  for ps in "${need[@]}"; do
    pkg="${ps%/*}" suite="${ps#*/}"
    part="$dl_dir/.partial-$pkg-$suite"
    rm -rf "$part"; mkdir -p "$part" "$dl_dir/$suite"
    log "downloading $pkg/$suite"
    # The exit code is not trusted: for some trixie packages the newest .dsc
    # is missing from the archive and apt reports an error although the
    # .orig tarball did download. The tarball is what counts.
    (cd "$part" && debian_private_apt_get "$apt_dir" -q source --download-only "$pkg/$suite") \
      >"$work/apt-source.log" 2>&1 || true
    found=()
    for f in "$part/$pkg"_*.orig.tar.*; do [[ "$f" == *.asc ]] || found+=("$f"); done
    if (( ${#found[@]} != 1 )); then
      cat "$work/apt-source.log" >&2
      die "apt-get source $pkg/$suite gave ${#found[@]} .orig tarballs"
    fi
    tar -tf "${found[0]}" >/dev/null || die "corrupt download ${found[0]}"
    mv "${found[0]}" "$dl_dir/$suite/"
    rm -rf "$part"
    log "  -> $dl_dir/$suite/$(basename "${found[0]}")"
  done
else
  log "all tarballs already in $dl_dir"
fi

# ---------------------------------------------------------------------------
# 1b. sdists (SDIST_TABLE), each in ROOT/sdist/<package>-<version>/.
sdist_dir="$root/sdist"

# A Python with pip: $MAKE_TEST_MIRROR_PYTHON, else the test environment's venv
# (scripts/setup-toolchain.sh makes it before this script runs), else python3.
sdist_python() {
  local c
  for c in "${MAKE_TEST_MIRROR_PYTHON:-}" "$root/venv/bin/python" "$repo_dir/.test-env/venv/bin/python" python3; do
    [[ -n "$c" ]] && command -v "$c" >/dev/null && "$c" -m pip --version >/dev/null 2>&1 \
      && { printf '%s\n' "$c"; return 0; }
  done
  return 1
}

# Prints the path of PKG's sdist VERSION, downloaded when missing; dies unless its sha256 is SHA.
sdist_for() { # pkg version sha256
  local dir="$sdist_dir/$1-$2" f found=() py part
  for f in "$dir"/*.tar.gz; do found+=("$f"); done
  if (( ${#found[@]} == 0 )); then
    py="$(sdist_python)" || die "no Python with pip to download the $1 $2 sdist; set MAKE_TEST_MIRROR_PYTHON"
    part="$sdist_dir/.partial-$1-$2"
    rm -rf "$part"; mkdir -p "$part"
    log "downloading the sdist of $1 $2 (pip download)"
    if ! "$py" -m pip download --quiet --disable-pip-version-check --no-deps \
         --no-binary :all: "$1==$2" -d "$part" >"$work/pip-$1.log" 2>&1; then
      cat "$work/pip-$1.log" >&2
      die "pip download $1==$2 failed"
    fi
    for f in "$part"/*.tar.gz; do found+=("$f"); done
    (( ${#found[@]} == 1 )) || die "pip download $1==$2 gave ${#found[@]} .tar.gz files"
    # Checked before it is kept: a wrong download never lands in $dir.
    [[ "$(sha256sum "${found[0]}" | cut -d' ' -f1)" == "$3" ]] \
      || die "the downloaded $1 $2 sdist $(basename "${found[0]}") does not have the pinned sha256 $3"
    mkdir -p "$dir"
    mv "${found[0]}" "$dir/"
    rm -rf "$part"
    found=("$dir/$(basename "${found[0]}")")
  fi
  (( ${#found[@]} == 1 )) || die "several sdists in $dir: ${found[*]}"
  [[ "$(sha256sum "${found[0]}" | cut -d' ' -f1)" == "$3" ]] \
    || die "${found[0]} does not have the pinned sha256 $3: delete it to download it again"
  printf '%s\n' "${found[0]}"
}

# Unpacks SDIST into DEST and prints FOLDER's path in it, checked to be VERSION of TAG's project.
sdist_source() { # tag sdist folder dest
  local top src
  top="$(unpack "$2" "$4")"
  src="$top/$3"
  [[ -d "$src" ]] || die "$(basename "$2") has no folder $3"
  # A submodule checkout's `.git` is a file `gitdir: …`: not part of the source.
  if [[ -f "$src/.git" ]]; then rm -f "$src/.git"; fi
  case "$1" in
    zlib-ng-*)
      grep -q "^#define ZLIBNG_VERSION \"${1#zlib-ng-}\"" "$src/zlib-ng.h.in" \
        || die "$3 in $(basename "$2") is not zlib-ng ${1#zlib-ng-} (see its zlib-ng.h.in)" ;;
    *) die "no version check for $1: add one to sdist_source" ;;
  esac
  printf '%s\n' "$src"
}

# ---------------------------------------------------------------------------
# 2. Unpack: prints the source root (top-level folder stripped, no debian/).
unpack() { # tarball dest
  mkdir -p "$2"
  tar --no-same-owner --no-same-permissions -xf "$1" -C "$2"
  find "$2" -type d ! -perm -u+rwx -exec chmod u+rwx {} +
  local entries=("$2"/* "$2"/.[!.]* "$2"/..?*)
  local src="$2"
  if (( ${#entries[@]} == 1 )) && [[ -d "${entries[0]}" && ! -L "${entries[0]}" ]]; then
    src="${entries[0]}"
  fi
  if [[ -d "$src/debian" ]]; then
    log "  dropping debian/ from $(basename "$1")"
    rm -rf "$src/debian"
  fi
  printf '%s\n' "$src"
}

# Files the real repository adds to a tag next to the upstream sources; written
# here with content of our own (the shape matters, not the text). Prints the
# added paths, one a line.
add_extra_files() { # tag src
  case "$1" in
    xz-5.2.5)
      [[ -e "$2/README.md" || -e "$2/windows/config.h" ]] \
        && die "xz-5.2.5's tarball already has README.md or windows/config.h"
      mkdir -p "$2/windows"
      printf '%s\n' \
        '# xz 5.2.5 (local test mirror)' '' \
        'The xz 5.2.5 release sources as CPython'"'"'s build uses them, plus' \
        '`windows/config.h` for the Windows build. Written by' \
        '`scripts/make-test-mirror.sh`; not the real repository'"'"'s file.' \
        >"$2/README.md"
      printf '%s\n' \
        '/* config.h for building liblzma on Windows (local test mirror).' \
        ' * A placeholder written by scripts/make-test-mirror.sh; the real' \
        ' * repository'"'"'s file holds the actual configuration. */' \
        >"$2/windows/config.h"
      printf '%s\n' README.md windows/config.h ;;
  esac
}

# Applies the table's modes column to an unpacked source tree.
apply_modes() { # modes src tag
  case "$1" in
    keep) ;;
    644)
      local links
      links="$(find "$2" -type l -printf '%P\n' | LC_ALL=C sort | awk 'NR <= 5')"
      [[ -z "$links" ]] || die "$3 is to be stored as 644 but has symlinks: ${links//$'\n'/ }"
      find "$2" -type f -perm /111 -exec chmod a-x {} + ;;
    *) die "bad modes $1 for $3" ;;
  esac
}

# sqlite: Debian ships the full source tree; the tag holds the amalgamation.
sqlite_amalgamation() { # tarball version dest
  local b
  b="$(unpack "$1" "$work/sqlite-build-$2")"
  local jobs; jobs="$(nproc 2>/dev/null || echo 2)"
  if ! ( cd "$b" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ./configure --disable-tcl \
       && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j"$jobs" sqlite3.c \
       && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make sqlite3.h sqlite3ext.h shell.c \
       ) >"$work/sqlite-$2.log" 2>&1; then
    tail -n 40 "$work/sqlite-$2.log" >&2
    die "sqlite $2 amalgamation failed (needs gcc and tclsh: apt-get install -y tcl)"
  fi
  grep -q "^#define SQLITE_VERSION *\"$2\"" "$b/sqlite3.h" \
    || die "sqlite3.h from $(basename "$1") is not version $2"
  mkdir -p "$3"
  local f
  for f in sqlite3.c sqlite3.h sqlite3ext.h shell.c; do install -m 0644 "$b/$f" "$3/$f"; done
  rm -rf "$work/sqlite-build-$2"
}

if grep -qE '^sqlite-' <<<"$TAGS_TABLE" && ! command -v tclsh >/dev/null; then
  die "tclsh is needed to generate the sqlite amalgamation: apt-get install -y tcl"
fi

# ---------------------------------------------------------------------------
# 3. The bare repository.
new_mirror="$work/mirror"
nb="$new_mirror/$bare_name"
mkdir -p "$new_mirror"
g init -q --bare "$nb"
g --git-dir="$nb" config http.receivepack false
g --git-dir="$nb" config core.logAllRefUpdates false

readme_blob="$(printf '%s\n' \
  '# cpython-source-deps (local test mirror)' '' \
  'A local stand-in for https://github.com/python/cpython-source-deps, built by' \
  '`scripts/make-test-mirror.sh` from Debian'"'"'s pristine upstream tarballs.' '' \
  'Every dependency version is a tag `<name>-<version>`; this branch holds only' \
  'this README.' | g --git-dir="$nb" hash-object -w --stdin)"
readme_tree="$(printf '100644 blob %s\tREADME.md\n' "$readme_blob" | g --git-dir="$nb" mktree)"
readme_commit="$(g --git-dir="$nb" commit-tree --no-gpg-sign -m 'README' "$readme_tree")"
g --git-dir="$nb" update-ref refs/heads/main "$readme_commit"
g --git-dir="$nb" symbolic-ref HEAD refs/heads/main

# The sqlite amalgamations take the longest (configure + make, ~12 s each):
# generate them in the background while the other tags are committed. Each
# runs in a session of its own (setsid) so that an interrupted run can stop
# it, configure and make included, by its process group.
export work
export -f log die unpack sqlite_amalgamation
while read -r tag kind modes pkg suite version; do
  [[ "$tag" == sqlite-* ]] || continue
  tarball="$(tarball_for "$pkg" "$suite")"
  [[ -n "$tarball" ]] || die "no tarball for $pkg/$suite"
  log "generating the sqlite $version amalgamation from $suite/$(basename "$tarball") (configure + make, background)"
  setsid bash -c 'set -euo pipefail; shopt -s nullglob; umask 022; sqlite_amalgamation "$@"' \
    make-test-mirror "$tarball" "$version" "$work/src-$tag" &
  sqlite_pid[$tag]=$!
done <<<"$TAGS_TABLE"

# Commits SRC as tag TAG (KIND, MODES); WHAT says where the files came from.
commit_tag() { # tag kind modes src what
  local tag="$1" kind="$2" modes="$3" src="$4" what="$5" extras idx tree name ver commit
  extras="$(add_extra_files "$tag" "$src")"
  [[ -z "$extras" ]] || what="$what, plus ${extras//$'\n'/ and } written for this mirror"
  apply_modes "$modes" "$src" "$tag"
  idx="$work/index"
  rm -f "$idx"
  GIT_INDEX_FILE="$idx" g -C "$src" --git-dir="$nb" --work-tree=. add -A -f -- .
  tree="$(GIT_INDEX_FILE="$idx" g --git-dir="$nb" write-tree)"
  if [[ "$modes" == 644 ]] && g --git-dir="$nb" ls-tree -r "$tree" | grep -qv '^100644 '; then
    die "$tag: a blob that is not 100644 made it into the tree"
  fi
  name="${tag%-*}" ver="${tag##*-}"
  commit="$(g --git-dir="$nb" commit-tree --no-gpg-sign \
    -m "Add $name $ver sources" -m "From $what." "$tree")"
  case "$kind" in
    lightweight) g --git-dir="$nb" update-ref "refs/tags/$tag" "$commit" "" ;;
    annotated)   g --git-dir="$nb" tag -a -m "$name $ver" "$tag" "$commit" ;;
    *) die "bad kind $kind" ;;
  esac
  rm -f "$idx"
}

while read -r tag kind modes pkg suite version; do
  [[ -z "$tag" ]] && continue
  tarball="$(tarball_for "$pkg" "$suite")"
  [[ -n "$tarball" ]] || die "no tarball for $pkg/$suite"
  tb="$(basename "$tarball")"
  [[ "$tb" == *"$version"* ]] || die "$tb does not look like version $version of $pkg"
  log "tag $tag ($kind, modes $modes) from $suite/$tb"
  if [[ "$tag" == sqlite-* ]]; then
    wait "${sqlite_pid[$tag]}" || die "generating the sqlite $version amalgamation failed"
    src="$work/src-$tag"
    what="the amalgamation generated from Debian's $tb ($suite)"
  else
    src="$(unpack "$tarball" "$work/src-$tag")"
    what="Debian's $tb ($suite)"
  fi
  commit_tag "$tag" "$kind" "$modes" "$src" "$what"
  rm -rf "$work/src-$tag"
done <<<"$TAGS_TABLE"

while read -r tag kind modes pkg sdist_version sha folder; do
  [[ -z "$tag" ]] && continue
  sdist="$(sdist_for "$pkg" "$sdist_version" "$sha")"
  log "tag $tag ($kind, modes $modes) from $(basename "$sdist") ($folder)"
  src="$(sdist_source "$tag" "$sdist" "$folder" "$work/src-$tag")"
  commit_tag "$tag" "$kind" "$modes" "$src" \
    "$folder in the sdist of the Python package $pkg $sdist_version ($(basename "$sdist"), sha256 $sha)"
  rm -rf "$work/src-$tag"
done <<<"$SDIST_TABLE"

log "packing"
g --git-dir="$nb" repack -a -d -q
g --git-dir="$nb" pack-refs --all
g --git-dir="$nb" update-server-info
g --git-dir="$nb" fsck --no-progress --strict >/dev/null 2>"$work/fsck.log" \
  || { cat "$work/fsck.log" >&2; die "fsck failed"; }

# tags.tsv, in table order.
{
  printf 'tag\tcommit\ttree\tkind\n'
  while read -r tag _; do
    [[ -z "$tag" ]] && continue
    repo_tags "$nb" | awk -F'\t' -v t="$tag" -v OFS='\t' '$1 == t { print $1, $2, $3, $4 }'
  done <<<"$TAGS_TABLE$SDIST_TABLE"
} >"$new_mirror/tags.tsv"
printf '%s\n' "$recipe_id" >"$new_mirror/.stamp"

# ---------------------------------------------------------------------------
# 4. Move into place: the mirror is either complete or absent, never partial.
if [[ -e "$mirror" || -L "$mirror" ]]; then
  mv "$mirror" "$work/old-mirror"
fi
mv "$new_mirror" "$mirror"
mirror_is_current || die "the new mirror failed its own check"
log "built in $((SECONDS - t_start)) s"
finish
