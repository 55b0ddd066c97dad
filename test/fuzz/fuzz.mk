# fuzz.mk — builds the libFuzzer targets (test/fuzz/fuzz_*.cpp) against the
# core sources with ASan and UBSan. test/fuzz.sh runs it as
#   make -f test/fuzz/fuzz.mk REPO=<checkout> OUT=<build dir> -j2
# Objects and dependency files go to OUT, so rebuilds are incremental.
REPO ?= .
OUT ?= $(REPO)/build/fuzz
CXX := clang++
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
CXXFLAGS := -std=c++17 -O1 -g -fno-omit-frame-pointer $(SAN) -I$(REPO)/src -I$(REPO)/test/fuzz
LIBS := -lz -ldeflate

CORE_SRC := $(wildcard $(REPO)/src/core/*.cpp)
CORE_OBJ := $(patsubst $(REPO)/src/core/%.cpp,$(OUT)/obj/%.o,$(CORE_SRC))
TARGETS := $(patsubst $(REPO)/test/fuzz/%.cpp,$(OUT)/%,$(wildcard $(REPO)/test/fuzz/fuzz_*.cpp))

all: $(TARGETS)

$(OUT)/obj/%.o: $(REPO)/src/core/%.cpp $(REPO)/test/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(OUT)/fuzz_%: $(REPO)/test/fuzz/fuzz_%.cpp $(CORE_OBJ) $(REPO)/test/fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -fsanitize=fuzzer -MMD -MP $< $(CORE_OBJ) $(LIBS) -o $@

.PHONY: all
# Keep the objects (make would delete them as intermediate files).
.SECONDARY: $(CORE_OBJ)
-include $(CORE_OBJ:.o=.d) $(TARGETS:=.d)
