// Micro-benchmarks of the JSON core on the commit path: diff and patch of
// 1 KB and 100 KB documents with a few leaf edits, and the three-way merge
// of 1 MB documents with 1,000 changed paths per side.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "core/json_patch.hpp"
#include "core/json_value.hpp"
#include "core/merge3.hpp"

using namespace tscore;

namespace {

// A configuration-like document of about `bytes` bytes of JSON text:
// records of a few scalars, a small array and a nested object, grouped
// into sections.
Value make_doc(size_t bytes, uint32_t seed) {
    std::mt19937 rng(seed);
    Value root = Value::object();
    size_t total = 2;
    for (size_t n = 0; total < bytes; n++) {
        Value rec = Value::object();
        rec.set("id", Value::number(std::to_string(rng() % 100000)));
        rec.set("name", Value::string("item-" + std::to_string(rng() % 1000)));
        rec.set("enabled", Value::boolean(rng() % 2 == 0));
        rec.set("ratio", Value::number("0." + std::to_string(rng() % 1000)));
        Value tags = Value::array();
        for (int t = 0; t < 3; t++) tags.items().push_back(Value::string("t" + std::to_string(rng() % 50)));
        rec.set("tags", std::move(tags));
        Value limits = Value::object();
        limits.set("max", Value::number(std::to_string(rng() % 5000)));
        limits.set("min", Value::number(std::to_string(rng() % 50)));
        rec.set("limits", std::move(limits));
        std::string key = "rec" + std::to_string(n % 16);
        total += to_json(rec).size() + key.size() + 6;
        std::string section = "section" + std::to_string(n / 16);
        if (!root.find(section)) {
            root.set(section, Value::object());
            total += section.size() + 6;
        }
        root.find(section)->set(key, std::move(rec));
    }
    return root;
}

void collect_leaves(Value &v, std::vector<Value *> &out) {
    if (v.is_array())
        for (Value &c : v.items()) collect_leaves(c, out);
    else if (v.is_object())
        for (Member &m : v.members()) collect_leaves(m.second, out);
    else
        out.push_back(&v);
}

// Changes `edits` distinct leaves chosen by `seed`; `skip` leaves (by
// index order in the shuffled list) are left for another side.
Value edit_leaves(const Value &doc, size_t edits, uint32_t seed, size_t skip = 0) {
    Value out = doc;
    std::vector<Value *> leaves;
    collect_leaves(out, leaves);
    std::mt19937 rng(42);  // same shuffle for every side, so sides can be kept disjoint
    std::shuffle(leaves.begin(), leaves.end(), rng);
    std::mt19937 values(seed);
    for (size_t i = skip; i < skip + edits && i < leaves.size(); i++)
        *leaves[i] = Value::number(std::to_string(values() % 1000000));
    return out;
}

const Value &doc_of_size(int64_t bytes) {
    static Value kb = make_doc(1024, 1), hundred_kb = make_doc(100 * 1024, 2), mb = make_doc(1024 * 1024, 3);
    return bytes <= 1024 ? kb : bytes <= 100 * 1024 ? hundred_kb : mb;
}

void BM_JsonDiff(benchmark::State &state) {
    const Value &a = doc_of_size(state.range(0));
    Value b = edit_leaves(a, static_cast<size_t>(state.range(1)), 7);
    for (auto _ : state) benchmark::DoNotOptimize(json_diff(a, b));
    state.SetLabel(std::to_string(to_json(a).size()) + " bytes");
}
BENCHMARK(BM_JsonDiff)->ArgsProduct({{1024, 100 * 1024}, {1, 3}})->Unit(benchmark::kMicrosecond);

// Includes the copy of the parent state that apply_json_patch takes by value.
void BM_ApplyJsonPatch(benchmark::State &state) {
    const Value &a = doc_of_size(state.range(0));
    Value patch = json_diff(a, edit_leaves(a, static_cast<size_t>(state.range(1)), 7));
    for (auto _ : state) benchmark::DoNotOptimize(apply_json_patch(a, patch));
}
BENCHMARK(BM_ApplyJsonPatch)->ArgsProduct({{1024, 100 * 1024}, {1, 3}})->Unit(benchmark::kMicrosecond);

// The same, the document moved in (a caller that owns its parent state).
void BM_ApplyJsonPatchMoved(benchmark::State &state) {
    const Value &a = doc_of_size(state.range(0));
    Value patch = json_diff(a, edit_leaves(a, 1, 7));
    Value doc = a;
    for (auto _ : state) doc = apply_json_patch(std::move(doc), patch);
}
BENCHMARK(BM_ApplyJsonPatchMoved)->Arg(100 * 1024)->Unit(benchmark::kMicrosecond);

void BM_CopyDocument(benchmark::State &state) {
    const Value &a = doc_of_size(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(Value(a));
}
BENCHMARK(BM_CopyDocument)->Arg(100 * 1024)->Arg(1024 * 1024)->Unit(benchmark::kMicrosecond);

void BM_Merge3(benchmark::State &state) {
    const Value &base = doc_of_size(1024 * 1024);
    Value ours = edit_leaves(base, 1000, 11, 0);
    Value theirs = edit_leaves(base, 1000, 12, 1000);  // different paths: no conflicts
    size_t conflicts = 0;
    for (auto _ : state) {
        MergeResult r = merge3(base, ours, theirs, MergeStrategy::ThreeWay);
        conflicts = r.conflicts.size();
        benchmark::DoNotOptimize(r);
    }
    state.SetLabel(std::to_string(to_json(base).size()) + " bytes, " + std::to_string(conflicts) + " conflicts");
}
BENCHMARK(BM_Merge3)->Unit(benchmark::kMillisecond);

void BM_Merge3Conflicting(benchmark::State &state) {
    const Value &base = doc_of_size(1024 * 1024);
    Value ours = edit_leaves(base, 1000, 11, 0);
    Value theirs = edit_leaves(base, 1000, 12, 500);  // half the paths overlap
    for (auto _ : state) benchmark::DoNotOptimize(merge3(base, ours, theirs, MergeStrategy::Ours));
}
BENCHMARK(BM_Merge3Conflicting)->Unit(benchmark::kMillisecond);

void BM_ParseJson(benchmark::State &state) {
    std::string text = to_json(doc_of_size(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(parse_json(text));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseJson)->Arg(1024 * 1024)->Unit(benchmark::kMillisecond);

void BM_ToJson(benchmark::State &state) {
    const Value &a = doc_of_size(state.range(0));
    for (auto _ : state) benchmark::DoNotOptimize(to_json(a));
}
BENCHMARK(BM_ToJson)->Arg(1024 * 1024)->Unit(benchmark::kMillisecond);

}  // namespace
