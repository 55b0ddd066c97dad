
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/test/unit/apply_payload_test.cpp" "CMakeFiles/core_tests.dir/test/unit/apply_payload_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/apply_payload_test.cpp.o.d"
  "/work/main/test/unit/conformance_test.cpp" "CMakeFiles/core_tests.dir/test/unit/conformance_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/conformance_test.cpp.o.d"
  "/work/main/test/unit/json_patch_test.cpp" "CMakeFiles/core_tests.dir/test/unit/json_patch_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/json_patch_test.cpp.o.d"
  "/work/main/test/unit/json_value_test.cpp" "CMakeFiles/core_tests.dir/test/unit/json_value_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/json_value_test.cpp.o.d"
  "/work/main/test/unit/merge3_test.cpp" "CMakeFiles/core_tests.dir/test/unit/merge3_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/merge3_test.cpp.o.d"
  "/work/main/test/unit/names_test.cpp" "CMakeFiles/core_tests.dir/test/unit/names_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/names_test.cpp.o.d"
  "/work/main/test/unit/payload_codec_test.cpp" "CMakeFiles/core_tests.dir/test/unit/payload_codec_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/payload_codec_test.cpp.o.d"
  "/work/main/test/unit/revision_test.cpp" "CMakeFiles/core_tests.dir/test/unit/revision_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/revision_test.cpp.o.d"
  "/work/main/test/unit/sha256_test.cpp" "CMakeFiles/core_tests.dir/test/unit/sha256_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/sha256_test.cpp.o.d"
  "/work/main/test/unit/varint_test.cpp" "CMakeFiles/core_tests.dir/test/unit/varint_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/varint_test.cpp.o.d"
  "/work/main/test/unit/version_hash_test.cpp" "CMakeFiles/core_tests.dir/test/unit/version_hash_test.cpp.o" "gcc" "CMakeFiles/core_tests.dir/test/unit/version_hash_test.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build2/CMakeFiles/tscore.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
