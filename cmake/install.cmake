# What `cmake --install` puts where (GNUInstallDirs), the CMake package for find_package(egress), and the
# Debian package made by `cpack -G DEB`. The stdlib is compiled into egressc: nothing of it is installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS egressc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_BINARY_DIR}/compiler/egressc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# Vim: Debian's vim reads /usr/share/vim/vimfiles (its runtimepath) for every user.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/editors/vim/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vim/vimfiles)
# VS Code: the extension's sources, for `vsce package` or to copy into ~/.vscode/extensions (docs/editors.md).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/editors/vscode/ DESTINATION ${CMAKE_INSTALL_DATADIR}/egress/editors/vscode
        PATTERN node_modules EXCLUDE PATTERN "*.vsix" EXCLUDE PATTERN ".gitignore" EXCLUDE)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(EGRESS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/egress)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/egressConfig.cmake.in
  ${PROJECT_BINARY_DIR}/egressConfig.cmake INSTALL_DESTINATION ${EGRESS_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/egressConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/egressConfig.cmake ${PROJECT_BINARY_DIR}/egressConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/egressCompile.cmake
        DESTINATION ${EGRESS_CMAKE_DIR})

# `cpack -G DEB` in the build folder: egress_VERSION_amd64.deb. Dependencies are those of Debian 12's
# packages egressc links against (fmt is the only shared library beyond the C and C++ runtimes).
set(CPACK_PACKAGE_NAME egress)
set(CPACK_PACKAGE_VENDOR "egress developers")
set(CPACK_PACKAGE_CONTACT "egress developers <egress@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "compiler for AKS egress designs behind Azure Firewall (ARM, Bicep, az, kubectl)")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.34), libstdc++6 (>= 12), libgcc-s1, libfmt9")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "azure-cli | python3, kubectl")
include(CPack)
