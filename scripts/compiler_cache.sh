# Sourced by the build scripts: compiles through ccache when it is installed (scripts/setup.sh
# installs it), so a rebuild of unchanged sources, in this clone or another clone on the same
# machine, is a cache hit. Paths are hashed relative to the clone, so clones in different
# directories share the cache. A launcher already set in the environment is kept.
if command -v ccache >/dev/null 2>&1 && [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then
  export CMAKE_CXX_COMPILER_LAUNCHER=ccache CMAKE_C_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
  export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-20G}"
fi
