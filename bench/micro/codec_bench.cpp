// codec_bench.cpp — the per-commit and per-read costs of the core's storage
// path: value encoding, payload framing with and without zlib, SHA-256 and
// the version hash, on ~1 KB and ~100 KB documents.
#include <benchmark/benchmark.h>

#include <string>

#include "core/payload_codec.hpp"
#include "core/version_hash.hpp"

using namespace tscore;

namespace {

// A configuration-like document of roughly `target` encoded bytes: an
// object of services, each with settings of every kind and a small array.
Value make_doc(size_t target) {
    Value root = Value::object();
    Value services = Value::object();
    size_t size = 0;
    for (int i = 0; size < target; ++i) {
        Value svc = Value::object();
        svc.set("enabled", Value::boolean(i % 2 == 0));
        svc.set("replicas", Value::number(std::to_string(1 + i % 7)));
        svc.set("cpu", Value::number(std::to_string(i % 4) + ".25"));
        svc.set("image", Value::string("registry.example.com/team/service-" + std::to_string(i) + ":1." +
                                       std::to_string(i % 13)));
        svc.set("owner", Value::string(i % 3 ? "platform" : "größe-team"));
        svc.set("notes", Value());
        Value ports = Value::array();
        for (int p = 0; p < 3; ++p) ports.items().push_back(Value::number(std::to_string(8000 + i * 3 + p)));
        svc.set("ports", std::move(ports));
        services.set("service-" + std::to_string(i), std::move(svc));
        size = encode_value(services).size();
    }
    root.set("services", std::move(services));
    root.set("version", Value::number("3"));
    return root;
}

const Value &doc(int64_t kb) {
    static const Value small = make_doc(1 << 10);
    static const Value large = make_doc(100 << 10);
    return kb <= 1 ? small : large;
}

EncodeOptions options(bool zlib) { return EncodeOptions{zlib ? 0 : -1, 6}; }

void BM_EncodeValue(benchmark::State &state) {
    const Value &v = doc(state.range(0));
    size_t n = 0;
    for (auto _ : state) {
        std::string s = encode_value(v);
        n = s.size();
        benchmark::DoNotOptimize(s.data());
    }
    state.SetBytesProcessed(int64_t(state.iterations() * n));
}

void BM_DecodeValue(benchmark::State &state) {
    std::string s = encode_value(doc(state.range(0)));
    for (auto _ : state) {
        Value v = decode_value(s);
        benchmark::DoNotOptimize(&v);
    }
    state.SetBytesProcessed(int64_t(state.iterations() * s.size()));
}

void BM_EncodePayload(benchmark::State &state) {
    const Value &v = doc(state.range(0));
    EncodeOptions opt = options(state.range(1));
    size_t raw = encode_value(v).size(), stored = 0;
    for (auto _ : state) {
        std::string s = encode_payload(PayloadKind::FullState, v, opt);
        stored = s.size();
        benchmark::DoNotOptimize(s.data());
    }
    state.SetBytesProcessed(int64_t(state.iterations() * raw));
    state.counters["stored_bytes"] = double(stored);
}

void BM_DecodePayload(benchmark::State &state) {
    const Value &v = doc(state.range(0));
    std::string s = encode_payload(PayloadKind::FullState, v, options(state.range(1)));
    size_t raw = encode_value(v).size();
    for (auto _ : state) {
        DecodedPayload d = decode_payload(s);
        benchmark::DoNotOptimize(&d);
    }
    state.SetBytesProcessed(int64_t(state.iterations() * raw));
}

void BM_Sha256(benchmark::State &state) {
    std::string data(size_t(state.range(0)) << 10, 'x');
    for (auto _ : state) benchmark::DoNotOptimize(sha256(data.data(), data.size()));
    state.SetBytesProcessed(int64_t(state.iterations() * data.size()));
}

void BM_VersionHash(benchmark::State &state) {
    const Value &v = doc(state.range(0));
    Value meta = Value::object();
    meta.set("source", Value::string("bench"));
    VersionHashInput in;
    in.parents = {sha256("p", 1)};
    in.state = &v;
    in.author = "postgres";
    in.message = std::string("benchmark commit");
    in.metadata = &meta;
    in.committed_at_unix_us = 1793534400000000;
    for (auto _ : state) benchmark::DoNotOptimize(version_hash(in));
    state.SetBytesProcessed(int64_t(state.iterations() * encode_value(v).size()));
}

}  // namespace

// Arguments: document size in KB (1 or 100), then zlib off/on.
BENCHMARK(BM_EncodeValue)->Arg(1)->Arg(100);
BENCHMARK(BM_DecodeValue)->Arg(1)->Arg(100);
BENCHMARK(BM_EncodePayload)->ArgsProduct({{1, 100}, {0, 1}});
BENCHMARK(BM_DecodePayload)->ArgsProduct({{1, 100}, {0, 1}});
BENCHMARK(BM_Sha256)->Arg(100);
BENCHMARK(BM_VersionHash)->Arg(1)->Arg(100);
