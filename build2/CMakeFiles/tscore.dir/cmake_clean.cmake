file(REMOVE_RECURSE
  "CMakeFiles/tscore.dir/src/core/json_diff.cpp.o"
  "CMakeFiles/tscore.dir/src/core/json_diff.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/json_patch.cpp.o"
  "CMakeFiles/tscore.dir/src/core/json_patch.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/json_pointer.cpp.o"
  "CMakeFiles/tscore.dir/src/core/json_pointer.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/json_text.cpp.o"
  "CMakeFiles/tscore.dir/src/core/json_text.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/json_value.cpp.o"
  "CMakeFiles/tscore.dir/src/core/json_value.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/merge3.cpp.o"
  "CMakeFiles/tscore.dir/src/core/merge3.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/merge_patch.cpp.o"
  "CMakeFiles/tscore.dir/src/core/merge_patch.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/payload_codec.cpp.o"
  "CMakeFiles/tscore.dir/src/core/payload_codec.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/revision.cpp.o"
  "CMakeFiles/tscore.dir/src/core/revision.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/sha256.cpp.o"
  "CMakeFiles/tscore.dir/src/core/sha256.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/state_cache.cpp.o"
  "CMakeFiles/tscore.dir/src/core/state_cache.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/value_codec.cpp.o"
  "CMakeFiles/tscore.dir/src/core/value_codec.cpp.o.d"
  "CMakeFiles/tscore.dir/src/core/version_hash.cpp.o"
  "CMakeFiles/tscore.dir/src/core/version_hash.cpp.o.d"
  "libtscore.a"
  "libtscore.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/tscore.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
