# CPack settings for the Debian package (`cpack -G DEB` in the build directory). Included from the top-level
# CMakeLists.txt after every install rule, since include(CPack) writes CPackConfig.cmake for the whole tree.

set(CPACK_PACKAGE_NAME "statescope")
set(CPACK_PACKAGE_VENDOR "StateScope")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "inspect, compare and repair PyTorch checkpoints")
set(CPACK_PACKAGE_DESCRIPTION
    "StateScope opens PyTorch checkpoints (torch.save zip and legacy archives, TorchScript, safetensors,\n\
sharded checkpoints) without running the code a pickle can carry, and says exactly what\n\
model.load_state_dict(checkpoint, strict=True) would say. A desktop window shows the checkpoint and the\n\
model's expected keys side by side; the command line (inspect, diff, suggest, fix) serves scripts, CI and\n\
IDE problem matchers. Repairs are rules (prefixes, renames, casts, resizes); fixed checkpoints are written\n\
atomically and never carry code-running globals.")
# The Maintainer field; set it to a real "Name <address>" when publishing the package.
set(STATESCOPE_PACKAGE_MAINTAINER "StateScope developers" CACHE STRING "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT "${STATESCOPE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
# Release binaries without their debug info: the .deb is a third of the size and builds faster.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Depends from the ELF files themselves (dpkg-shlibdeps reads the installed packages' shlibs/symbols, no
# network): libc6, libstdc++6, libgcc-s1, libqt6core6/gui6/widgets6, libqcustomplot2.1-qt6, libminizip1,
# zlib1g, and libtorch1.13 for the engine plugin.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What no ELF file names: Qt's platform plugins (xcb, wayland) ship in libqt6gui6 on Debian 12, and the
# shared MIME database reads our types from share/mime/packages. Desktop, MIME and icon caches are updated
# by dpkg triggers of desktop-file-utils, shared-mime-info and the icon themes, so no maintainer scripts.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "shared-mime-info")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-torch")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")

set(CPACK_GENERATOR "DEB")
include(CPack)
