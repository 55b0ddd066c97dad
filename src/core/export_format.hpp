// export_format.hpp — the line format of ts_export and ts_import.
//
// A store's export is a sequence of JSON objects, one per line: a header
// (seq 0), then every event of the store in seq order. Version events carry
// their payload in a portable form (the full state, or the RFC 6902 / RFC
// 7396 patch against the first parent, as JSON; null once compacted) and
// their hash in hex. docs/export.md describes every field; this module
// builds and checks lines, the glue reads and writes the tables.
//
// Decoding checks the shape of a line only (types, required fields,
// formats); what a line means for the store being rebuilt (order, parents,
// hashes) is the importer's business. Problems are Error(Invalid) whose
// message names the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_value.hpp"

namespace tscore {
namespace export_format {

constexpr const char *kFormatName = "temporal_store-export";
constexpr int64_t kFormatVersion = 1;

// "2026-11-01T12:00:00.123456Z" for microseconds since the Unix epoch
// (proleptic Gregorian, UTC; years 0001-9999, else Error(Invalid)).
std::string iso_utc(int64_t unix_us);

std::string to_hex(std::string_view bytes);
// nullopt unless an even number of hex digits (either case).
std::optional<std::string> from_hex(std::string_view hex);

struct Header {
    std::string store;     // the store's name at export (informational)
    int64_t versions = 0;  // version events that follow
    int64_t events = 0;    // other events that follow
};
Value encode_header(const Header &h);
Header decode_header(const Value &line);

// A version payload as the export carries it.
enum class Encoding { Full, JsonPatch, MergePatch };
const char *encoding_name(Encoding e);
struct PortablePayload {
    Encoding encoding = Encoding::Full;
    Value body;  // the state (Full) or the patch
};

// One event of the stream.
struct Line {
    int64_t seq = 0;
    std::string event_type;
    bool is_version = false;         // StateCreated, StateUpdated, or a merge's BranchMerged with parents
    std::optional<int64_t> version;  // a version event's number; else the version it points at
    std::vector<int64_t> parents;    // version events only
    std::optional<int32_t> branch_id;  // the branch's number in the store (1: main)
    std::optional<std::string> branch; // its name at export (informational)
    std::string author;
    std::optional<std::string> message;
    Value metadata = Value::object();
    int64_t committed_at_us = 0;       // microseconds since the Unix epoch
    std::string hash;                  // version events: 32 raw bytes
    // Version events: nullopt once compacted. Other events: their payload
    // (JSON null when they have none).
    std::optional<PortablePayload> payload;
    Value event_payload;
};

// A line is a version event when it has "parents" (an array).
Value encode_line(Line line);
Line decode_line(const Value &line);

}  // namespace export_format
}  // namespace tscore
