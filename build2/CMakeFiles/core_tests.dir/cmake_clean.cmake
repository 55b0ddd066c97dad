file(REMOVE_RECURSE
  "CMakeFiles/core_tests.dir/test/unit/apply_payload_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/apply_payload_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/conformance_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/conformance_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/json_patch_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/json_patch_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/json_value_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/json_value_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/merge3_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/merge3_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/names_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/names_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/payload_codec_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/payload_codec_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/revision_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/revision_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/sha256_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/sha256_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/varint_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/varint_test.cpp.o.d"
  "CMakeFiles/core_tests.dir/test/unit/version_hash_test.cpp.o"
  "CMakeFiles/core_tests.dir/test/unit/version_hash_test.cpp.o.d"
  "core_tests"
  "core_tests.pdb"
  "core_tests[1]_tests.cmake"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/core_tests.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
