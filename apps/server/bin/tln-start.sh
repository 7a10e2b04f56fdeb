#!/bin/sh
# `pnpm tln …` (package.json). The C library reads its malloc settings once, when the process
# starts, so no JavaScript can set them: this script sets TLN's defaults, unless the environment
# already has a value, and then becomes node (exec: one process, the same PID, signals go straight
# to the server). docs/operator-guide.en.md, "Memory", says why each one is there.

# Two malloc arenas instead of up to eight per core: under sustained load each arena keeps its
# highest use for the life of the process.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

# Embedded storage (no DATABASE_URL), where PostgreSQL runs inside this process:
# - V8 compiles PGlite's WebAssembly in many small blocks that glibc keeps in its heaps after the
#   compile; from 16 KiB up each block is its own mapping, given back when freed (≈ 100 MB less at
#   rest). On PostgreSQL that saves nothing, so it is left to glibc there.
# - V8's young generation 8 MB instead of 32: less garbage held between scavenges.
# Together: the peak under the bench's PGlite ingest 362–385 → 284–286 MB, throughput unchanged
# (docs/performance-notes.md, session 13). NODE_OPTIONS given by the operator comes after ours, and
# for V8 flags the last one wins.
if [ -z "${DATABASE_URL:-}" ]; then
  export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-16384}"
  export NODE_OPTIONS="--max-semi-space-size=4${NODE_OPTIONS:+ $NODE_OPTIONS}"
fi

exec node "$(dirname "$0")/tln.mjs" "$@"
