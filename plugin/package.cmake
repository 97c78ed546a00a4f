# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Debian package of the plugin: `cpack -G DEB` in the build directory
# writes oscore-layers_<version>_wireshark<X.Y>_<arch>.deb. Its payload is
# the install component "deb": the stripped plugin in Wireshark's system
# plugin folder, the licence as Debian's copyright file and the README.
# Included from plugin/CMakeLists.txt, after find_package(Wireshark).

set(OSCORE_DEB_DOC_DIR "share/doc/oscore-layers")
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${OSCORE_DEB_DOC_DIR}
    RENAME copyright COMPONENT deb EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${OSCORE_DEB_DOC_DIR}
    COMPONENT deb EXCLUDE_FROM_ALL)

# The Debian package holding the libwireshark we link against is named
# after its soname: libwireshark.so.16 (4.0) is in libwireshark16, .so.18
# (4.4) in libwireshark18, .so.19 (4.6) in libwireshark19.
function(oscore_wireshark_deb_package out)
  get_target_property(configs epan IMPORTED_CONFIGURATIONS)
  foreach(config ${configs})
    get_target_property(soname epan IMPORTED_SONAME_${config})
    if(soname MATCHES "^libwireshark\\.so\\.([0-9]+)$")
      set(${out} "libwireshark${CMAKE_MATCH_1}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()
oscore_wireshark_deb_package(OSCORE_DEB_WIRESHARK_DEFAULT)
set(OSCORE_DEB_WIRESHARK_PACKAGE "${OSCORE_DEB_WIRESHARK_DEFAULT}" CACHE STRING
    "Debian package of the libwireshark the plugin is built against (from its soname)")
if(NOT OSCORE_DEB_WIRESHARK_PACKAGE)
  # Not a Debian-style Wireshark: no package, but the build goes on.
  message(WARNING "No libwireshark soname found on the epan target: no "
      "Debian package (cpack), since it could not pin the Wireshark series. "
      "Set OSCORE_DEB_WIRESHARK_PACKAGE (e.g. libwireshark16 for 4.0).")
  return()
endif()

# The loader accepts only plugins built for its own major.minor, so the
# package depends on exactly that series: >= X.Y.0 and below X.(Y+1). The
# other dependencies come from dpkg-shlibdeps when cpack runs
# (deb-depends.cmake, which also drops libwireshark's looser generic bound).
math(EXPR oscore_next_minor "${Wireshark_MINOR_VERSION} + 1")
set(oscore_series_min "${OSCORE_WIRESHARK_SERIES}.0")
set(oscore_series_end "${Wireshark_MAJOR_VERSION}.${oscore_next_minor}~")
set(p "${OSCORE_DEB_WIRESHARK_PACKAGE}")
file(GENERATE OUTPUT "${PROJECT_BINARY_DIR}/oscore-cpack-project.cmake"
    CONTENT "set(OSCORE_PLUGIN_SO \"$<TARGET_FILE:oscore_layers>\")
set(OSCORE_DEB_WIRESHARK_PACKAGE \"${p}\")
set(OSCORE_DEB_WIRESHARK_PIN \"${p} (>= ${oscore_series_min}), ${p} (<< ${oscore_series_end})\")
include(\"${CMAKE_CURRENT_SOURCE_DIR}/deb-depends.cmake\")
")
set(CPACK_PROJECT_CONFIG_FILE "${PROJECT_BINARY_DIR}/oscore-cpack-project.cmake")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
# A plugin is of no use without a program that loads it; tshark is the
# smaller of the two.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tshark | wireshark")

# The architecture goes into the file name, so it is needed now; CPack
# itself asks dpkg the same way.
find_program(OSCORE_DPKG dpkg)
if(OSCORE_DPKG)
  execute_process(COMMAND ${OSCORE_DPKG} --print-architecture
      OUTPUT_VARIABLE oscore_deb_arch OUTPUT_STRIP_TRAILING_WHITESPACE)
else()
  set(oscore_deb_arch "${CMAKE_SYSTEM_PROCESSOR}")
endif()

set(OSCORE_DEB_MAINTAINER
    "oscore-layers maintainers <maintainers@users.noreply.r-seed-5b8008fe.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME oscore-layers)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${OSCORE_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${OSCORE_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Wireshark ${OSCORE_WIRESHARK_SERIES} plugin decrypting nested OSCORE layers")
set(CPACK_PACKAGE_DESCRIPTION
    "A Wireshark postdissector that removes every OSCORE layer of a CoAP\n\
message (RFC 8613; nested layers of draft-ietf-core-oscore-capable-proxies;\n\
Group OSCORE, RFC 10021) from a keys file of security contexts.\n\
Built for Wireshark ${Wireshark_VERSION}; loads in the ${OSCORE_WIRESHARK_SERIES} series only.")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${oscore_deb_arch}")
set(CPACK_DEBIAN_FILE_NAME
    "oscore-layers_${PROJECT_VERSION}_wireshark${OSCORE_WIRESHARK_SERIES}_${oscore_deb_arch}.deb")
set(CPACK_STRIP_FILES ON)
# Only the "deb" component, under Wireshark's prefix (/usr for Debian's
# Wireshark), whatever OSCORE_INSTALL_SCOPE says for `cmake --install`.
set(CPACK_INSTALL_CMAKE_PROJECTS "${PROJECT_BINARY_DIR};${PROJECT_NAME};deb;/")
set(CPACK_PACKAGING_INSTALL_PREFIX "${Wireshark_INSTALL_PREFIX}")
set(CPACK_PACKAGE_FILE_NAME
    "oscore-layers_${PROJECT_VERSION}_wireshark${OSCORE_WIRESHARK_SERIES}_${oscore_deb_arch}")
include(CPack)
