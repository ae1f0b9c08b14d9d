# CMake toolchain file for WALI guests:
#   cmake -DCMAKE_TOOLCHAIN_FILE=/path/to/build/bin/wali-toolchain.cmake ...
# Everything is found relative to this file (build/bin next to build/sysroot).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(WALI_BIN "${CMAKE_CURRENT_LIST_DIR}")
get_filename_component(WALI_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../sysroot" ABSOLUTE)

set(CMAKE_C_COMPILER "${WALI_BIN}/wali-cc")
set(CMAKE_CXX_COMPILER "${WALI_BIN}/wali-c++")
set(CMAKE_AR "${WALI_BIN}/wali-ar" CACHE FILEPATH "")
set(CMAKE_RANLIB "${WALI_BIN}/wali-ranlib" CACHE FILEPATH "")
set(CMAKE_NM "${WALI_BIN}/wali-nm" CACHE FILEPATH "")
set(CMAKE_STRIP "${WALI_BIN}/wali-strip" CACHE FILEPATH "")

set(CMAKE_SYSROOT "${WALI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${WALI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Static executables only; no shared libraries on WALI.
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
set(CMAKE_POSITION_INDEPENDENT_CODE OFF)

# try_run and ctest can execute guests through the host when it is built.
get_filename_component(WALI_REPO "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
if(EXISTS "${WALI_REPO}/target/release/wali")
  set(CMAKE_CROSSCOMPILING_EMULATOR "${WALI_REPO}/target/release/wali;run")
endif()
