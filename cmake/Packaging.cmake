# `cmake --install` and CPack: sluice in bin/, its BPE vocabularies in share/sluice/tokenizers
# (where src/tokens/tokenizers.cc looks, relative to /proc/self/exe), and a Debian package of
# the two. Installing never builds: build first (`cmake --build`), then install or `cpack -G DEB`.

set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# Fixed relative paths, not GNUInstallDirs: the binary finds its vocabularies at
# <exe_dir>/../share/sluice/tokenizers, whatever the prefix.
install(TARGETS sluice RUNTIME DESTINATION bin)
set(SLUICE_VOCABULARIES o200k_base.tiktoken cl100k_base.tiktoken)
foreach(file IN LISTS SLUICE_VOCABULARIES)
  set(path ${PROJECT_SOURCE_DIR}/data/tokenizers/${file})
  install(CODE "if(NOT EXISTS \"${path}\")
    message(FATAL_ERROR \"data/tokenizers/${file} is missing: run scripts/fetch_vocabularies.sh\")
  endif()")
  install(FILES ${path} DESTINATION share/sluice/tokenizers)
endforeach()

set(CPACK_PACKAGE_NAME sluice)
set(CPACK_PACKAGE_VENDOR "sluice")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "AI API gateway for batch work: OpenAI-compatible proxy, Files and Batches API, sluice run")
set(CPACK_PACKAGE_INSTALL_DIRECTORY sluice)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "sluice maintainers")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends: on the Debian 12 libraries the binary links, as dpkg-shlibdeps finds them.
find_program(SLUICE_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(SLUICE_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  # What dpkg-shlibdeps lists on Debian 12 for a build with setup.sh's packages.
  string(JOIN ", " CPACK_DEBIAN_PACKAGE_DEPENDS
         "libboost-json1.81.0" "libboost-url1.81.0" "libc6 (>= 2.34)" "libfmt9" "libgcc-s1"
         "libpcre2-8-0" "libprometheus-cpp-core1.0" "libsimdjson14" "libspdlog1.10-fmt9"
         "libsqlite3-0" "libssl3" "libstdc++6 (>= 11)" "libyaml-cpp0.7")
endif()
include(CPack)
