# Version and revision of every binary (lib/app/build_info.h), captured at
# configure time: PROJECT_VERSION (project(... VERSION x.y.z)) and
# `git describe --always --dirty --tags` of the source tree, or
# -DARXIV_DIGEST_GIT_DESCRIBE=... where there is no .git (image builds pass
# it as a build argument). Only build_info.cc gets the definitions, so a new
# revision recompiles one file. Include after lib/ is added.
include_guard(GLOBAL)
if(ARXIV_DIGEST_GIT_DESCRIBE)
  set(_digest_revision "${ARXIV_DIGEST_GIT_DESCRIBE}")
else()
  set(_digest_revision "unknown")
  find_package(Git QUIET)
  if(GIT_FOUND AND EXISTS "${PROJECT_SOURCE_DIR}/.git")
    execute_process(
      COMMAND ${GIT_EXECUTABLE} describe --always --dirty --tags
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      OUTPUT_VARIABLE _digest_describe
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
      RESULT_VARIABLE _digest_git_rc)
    if(_digest_git_rc EQUAL 0 AND _digest_describe)
      set(_digest_revision "${_digest_describe}")
    endif()
  endif()
endif()
set(_digest_version "${PROJECT_VERSION}")
if(NOT _digest_version)
  set(_digest_version "0.0.0")
endif()
set(_digest_build_type "${CMAKE_BUILD_TYPE}")
if(NOT _digest_build_type)
  set(_digest_build_type "default")
endif()
set_source_files_properties(${PROJECT_SOURCE_DIR}/lib/app/build_info.cc
  DIRECTORY ${PROJECT_SOURCE_DIR}/lib
  PROPERTIES COMPILE_DEFINITIONS
    "ARXIV_DIGEST_VERSION=\"${_digest_version}\";ARXIV_DIGEST_REVISION=\"${_digest_revision}\";ARXIV_DIGEST_BUILD_TYPE=\"${_digest_build_type}\"")
message(STATUS "arxiv-digest ${_digest_version} (revision ${_digest_revision})")
