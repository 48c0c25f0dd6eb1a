# ngosurvey_module(NAME [LIBS lib1 ...] [PRIVATE_LIBS lib1 ...] [TEST_LIBS lib1 ...]
#                  [DISCOVER_FILTER FILTER])
#
# Declares the static library ngosurvey_NAME from every *.cpp in the calling folder
# and its subfolders (tests excluded), and a test binary ngosurvey_NAME_tests from
# every *_test.cpp there. The library links the ngosurvey modules that
# src/layering.txt lists for NAME (the same table tools/lint checks includes
# against); LIBS are third-party targets. DISCOVER_FILTER (a --gtest_filter
# expression) leaves out of CTest's discovered tests those that another CTest test
# runs in its own setting (the store's *Postgres* tests run under a server of their
# own: tests/store/CMakeLists.txt). Folders are globbed so that adding a file
# needs no CMake edit; CONFIGURE_DEPENDS re-runs the glob on every build.
# ngosurvey_layering_deps(NAME OUT): the modules src/layering.txt lists for NAME.
function(ngosurvey_layering_deps name out)
  file(STRINGS "${PROJECT_SOURCE_DIR}/src/layering.txt" lines REGEX "^${name}:")
  list(LENGTH lines found)
  if(NOT found EQUAL 1)
    message(FATAL_ERROR "src/layering.txt has no line '${name}: ...'")
  endif()
  string(REGEX REPLACE "^${name}:[ ]*" "" deps "${lines}")
  string(STRIP "${deps}" deps)
  separate_arguments(deps UNIX_COMMAND "${deps}")
  set(${out} ${deps} PARENT_SCOPE)
endfunction()

function(ngosurvey_module name)
  cmake_parse_arguments(ARG "" "DISCOVER_FILTER" "LIBS;PRIVATE_LIBS;TEST_LIBS" ${ARGN})
  ngosurvey_layering_deps(${name} ARG_DEPS)
  file(GLOB_RECURSE all_sources CONFIGURE_DEPENDS
       "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
  set(sources "")
  set(tests "")
  foreach(src IN LISTS all_sources)
    if(src MATCHES "_test\\.cpp$")
      list(APPEND tests ${src})
    elseif(src MATCHES "/testing/[^/]*\\.cpp$")
      # Test support (testing/*.cpp) is built into ngosurvey_test_support
      # (src/base/CMakeLists.txt), never into a shipped library.
    else()
      list(APPEND sources ${src})
    endif()
  endforeach()

  add_library(ngosurvey_${name} STATIC ${sources})
  target_include_directories(ngosurvey_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  set(dep_targets "")
  foreach(dep IN LISTS ARG_DEPS)
    list(APPEND dep_targets ngosurvey_${dep})
  endforeach()
  target_link_libraries(ngosurvey_${name} PUBLIC ${dep_targets} ${ARG_LIBS})
  # PRIVATE_LIBS: used by the module's sources only (no header of the module includes
  # them), so their include folders do not reach every module above it.
  if(ARG_PRIVATE_LIBS)
    target_link_libraries(ngosurvey_${name} PRIVATE ${ARG_PRIVATE_LIBS})
  endif()

  if(NGOSURVEY_TESTS AND tests)
    add_executable(ngosurvey_${name}_tests ${tests})
    target_link_libraries(ngosurvey_${name}_tests PRIVATE ngosurvey_${name}
                          ngosurvey_test_support ${ARG_TEST_LIBS} GTest::gtest
                          GTest::gmock GTest::gtest_main)
    if(ARG_DISCOVER_FILTER)
      set(filter TEST_FILTER "${ARG_DISCOVER_FILTER}")
    else()
      set(filter "")
    endif()
    gtest_discover_tests(ngosurvey_${name}_tests
                         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                         DISCOVERY_TIMEOUT 60 ${filter})
  endif()
endfunction()
