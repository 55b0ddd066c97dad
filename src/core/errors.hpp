// errors.hpp — the exceptions the PostgreSQL-free core throws.
//
// The core never knows SQLSTATEs; the glue's error bridge maps each kind to
// one. Messages follow PostgreSQL style: lower case, no trailing period.
#pragma once

#include <stdexcept>
#include <string>

namespace tscore {

enum class ErrorKind {
    InvalidJson,      // malformed JSON text (core parser, tests only)
    InvalidPatch,     // RFC 6902 / 7396 patch malformed or failing (22023)
    BadRevision,      // revision syntax error (22P02)
    BadName,          // invalid store/branch/tag name (22023)
    Conflict,         // merge conflict (TS001); detail = JSON array of paths
    TooDeep,          // document nesting beyond kMaxDepth or kMaxStateDepth (54001)
    MemoryLimit,      // an operation passed its memory budget (54000; limits.hpp)
    CorruptPayload,   // a stored payload cannot be decoded (XX001)
    Invalid,          // other invalid argument (22023)
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string &message, std::string detail = {}, std::string hint = {})
        : std::runtime_error(message), kind_(kind), detail_(std::move(detail)), hint_(std::move(hint)) {}
    ErrorKind kind() const noexcept { return kind_; }
    const std::string &detail() const noexcept { return detail_; }
    std::string &mutable_detail() noexcept { return detail_; }
    const std::string &hint() const noexcept { return hint_; }

private:
    ErrorKind kind_;
    std::string detail_;
    std::string hint_;  // a full sentence, or empty
};

}  // namespace tscore
