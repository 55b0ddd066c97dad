
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/core/json_diff.cpp" "CMakeFiles/tscore.dir/src/core/json_diff.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/json_diff.cpp.o.d"
  "/work/main/src/core/json_patch.cpp" "CMakeFiles/tscore.dir/src/core/json_patch.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/json_patch.cpp.o.d"
  "/work/main/src/core/json_pointer.cpp" "CMakeFiles/tscore.dir/src/core/json_pointer.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/json_pointer.cpp.o.d"
  "/work/main/src/core/json_text.cpp" "CMakeFiles/tscore.dir/src/core/json_text.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/json_text.cpp.o.d"
  "/work/main/src/core/json_value.cpp" "CMakeFiles/tscore.dir/src/core/json_value.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/json_value.cpp.o.d"
  "/work/main/src/core/merge3.cpp" "CMakeFiles/tscore.dir/src/core/merge3.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/merge3.cpp.o.d"
  "/work/main/src/core/merge_patch.cpp" "CMakeFiles/tscore.dir/src/core/merge_patch.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/merge_patch.cpp.o.d"
  "/work/main/src/core/payload_codec.cpp" "CMakeFiles/tscore.dir/src/core/payload_codec.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/payload_codec.cpp.o.d"
  "/work/main/src/core/revision.cpp" "CMakeFiles/tscore.dir/src/core/revision.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/revision.cpp.o.d"
  "/work/main/src/core/sha256.cpp" "CMakeFiles/tscore.dir/src/core/sha256.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/sha256.cpp.o.d"
  "/work/main/src/core/state_cache.cpp" "CMakeFiles/tscore.dir/src/core/state_cache.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/state_cache.cpp.o.d"
  "/work/main/src/core/value_codec.cpp" "CMakeFiles/tscore.dir/src/core/value_codec.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/value_codec.cpp.o.d"
  "/work/main/src/core/version_hash.cpp" "CMakeFiles/tscore.dir/src/core/version_hash.cpp.o" "gcc" "CMakeFiles/tscore.dir/src/core/version_hash.cpp.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
