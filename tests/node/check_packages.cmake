# ctest's first Node test: fails with one clear line when Node or the tests' npm packages are
# missing, so the Node tests that need them fail too (never skipped, never absent).
# cmake -DNODE_EXECUTABLE=... -DNODE_TEST_DIR=... -P check_packages.cmake
if(NOT NODE_EXECUTABLE OR NOT EXISTS "${NODE_EXECUTABLE}")
  message(FATAL_ERROR "node not found: install Node.js 18 or newer (scripts/setup.sh does), "
                      "then configure again")
endif()
if(NOT EXISTS "${NODE_TEST_DIR}/node_modules/.package-lock.json")
  message(FATAL_ERROR "tests/node/node_modules is missing: run `npm ci --prefix tests/node` "
                      "(scripts/test.sh does)")
endif()
