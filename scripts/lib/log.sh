# scripts/lib/log.sh — sourced, not run.
#
# The one log() and die() of the scripts, so every script reports the same
# way: `NAME: message` on stderr, and `NAME: error: message` then exit 1.
# NAME is the running script's file name without `.sh` (e.g. setup-toolchain).
# Defines log, die and the variable log_name; changes nothing else.
# shellcheck shell=bash

log_name=${0##*/}
log_name=${log_name%.sh}

# log MESSAGE...: one line on stderr, prefixed with the script's name.
log() { printf '%s: %s\n' "$log_name" "$*" >&2; }

# die MESSAGE...: an error line on stderr, then exit 1 (of the shell it runs in).
die() { log "error: $*"; exit 1; }
