# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run by cpack (CPACK_PROJECT_CONFIG_FILE, see plugin/package.cmake) before
# it builds the Debian package: computes the Depends field.
#
# CPack's own dpkg-shlibdeps step would append libwireshark's generic bound
# (libwireshark16 (>= 3.5.0)) next to the series pin; the field would then
# name a looser range than the one that holds. So dpkg-shlibdeps runs here,
# its libwireshark entry is replaced by the pin, and the rest is kept.
# Needs dpkg-dev (dpkg-shlibdeps) and file, which dpkg-shlibdeps calls.
#
# Set by the generated caller: OSCORE_PLUGIN_SO, OSCORE_DEB_WIRESHARK_PACKAGE,
# OSCORE_DEB_WIRESHARK_PIN.

if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
find_program(OSCORE_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(NOT OSCORE_DPKG_SHLIBDEPS)
  message(FATAL_ERROR "dpkg-shlibdeps not found: install dpkg-dev and file")
endif()

# dpkg-shlibdeps wants to run in a source tree: a debian/control, even empty.
set(work "${CPACK_PACKAGE_DIRECTORY}/_oscore_shlibdeps")
file(REMOVE_RECURSE "${work}")
file(WRITE "${work}/debian/control" "")
execute_process(COMMAND "${OSCORE_DPKG_SHLIBDEPS}" -O "${OSCORE_PLUGIN_SO}"
    WORKING_DIRECTORY "${work}" RESULT_VARIABLE status
    OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REMOVE_RECURSE "${work}")
if(NOT status EQUAL 0 OR NOT out MATCHES "shlibs:Depends=([^\n]*)")
  message(FATAL_ERROR "dpkg-shlibdeps failed (${status}): ${err}")
endif()
string(REPLACE "," ";" entries "${CMAKE_MATCH_1}")

set(depends "${OSCORE_DEB_WIRESHARK_PIN}")
foreach(entry ${entries})
  string(STRIP "${entry}" entry)
  if(NOT entry MATCHES "^${OSCORE_DEB_WIRESHARK_PACKAGE}( |$)")
    string(APPEND depends ", ${entry}")
  endif()
endforeach()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${depends}")
message(STATUS "oscore-layers: Depends: ${depends}")
