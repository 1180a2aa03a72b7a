# Helpers that give every module the same shape: one library target per folder under src/,
# warnings as errors on our code, and unit tests that sit beside the code they test.

set(SLUICE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Werror)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 at -O3 warns falsely about std::string concatenation and copies (GCC bugs 105329,
  # 107138): these two warnings are off in optimised builds only.
  list(APPEND SLUICE_WARNINGS $<$<NOT:$<CONFIG:Debug>>:-Wno-restrict>
       $<$<NOT:$<CONFIG:Debug>>:-Wno-maybe-uninitialized>)
endif()

# Asio and Beast are compiled once, in http/asio_impl.cc; every target that sees their headers
# must agree on these definitions.
set(SLUICE_ASIO_DEFINITIONS
  BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION BOOST_ASIO_NO_DEPRECATED)

# sluice_module(NAME SOURCES a.cc b.cc DEPS other_module Some::target)
# Defines the library target sluice_NAME, includable as "NAME/header.h" from src/.
function(sluice_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(sluice_${name} STATIC ${ARG_SOURCES})
  target_include_directories(sluice_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(sluice_${name} PRIVATE ${SLUICE_WARNINGS})
  target_link_libraries(sluice_${name} PUBLIC ${ARG_DEPS})
endfunction()

# sluice_test(NAME SOURCES a_test.cc DEPS sluice_x [PROPERTIES name value ...]) — one GoogleTest
# binary registered with ctest; PROPERTIES are set on each of its tests.
function(sluice_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PROPERTIES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${SLUICE_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(SLUICE_FUZZ)
    return()  # defined (src/ is EXCLUDE_FROM_ALL there) but never built or registered
  endif()
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 120 ${ARG_PROPERTIES})
endfunction()
