# Empty dependencies file for core_bench.
# This may be replaced when dependencies are built.
