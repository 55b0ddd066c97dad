file(REMOVE_RECURSE
  "CMakeFiles/core_bench.dir/bench/micro/codec_bench.cpp.o"
  "CMakeFiles/core_bench.dir/bench/micro/codec_bench.cpp.o.d"
  "core_bench"
  "core_bench.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/core_bench.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
