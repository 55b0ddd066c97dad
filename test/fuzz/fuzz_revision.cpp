// fuzz_revision — parse_revision, validate_store_name, validate_ref_name.
//
// Input: any bytes, as a revision string and as a name. Checks: errors are
// only BadRevision / BadName, with a message and detail that are valid
// UTF-8 and short whatever the input; a parsed revision is well-formed (a
// NAME base is a valid ref name, a hash prefix is 7-64 lower-case hex
// digits, step counts are not negative) and, printed back in canonical
// form ("v" N, "h:" hex, HEAD, the name, "@{...}", "~N"/"^N"), parses to
// the same revision; a valid ref name is a valid store name and parses as
// a NAME revision of itself.
#include "fuzz_support.hpp"

#include "core/revision.hpp"

using namespace tscore;

namespace {

std::string format(const Revision &r) {
    std::string s;
    switch (r.base) {
        case Revision::Base::Version: s = "v" + std::to_string(r.version); break;
        case Revision::Base::HashPrefix: s = "h:" + r.text; break;
        case Revision::Base::Head: s = "HEAD"; break;
        case Revision::Base::Name: s = r.text; break;
    }
    if (r.has_at) s += "@{" + r.at + "}";
    for (const RevisionStep &st : r.steps)
        s += (st.kind == RevisionStep::Kind::Ancestor ? "~" : "^") + std::to_string(st.n);
    return s;
}

bool same(const Revision &a, const Revision &b) {
    if (a.base != b.base || a.version != b.version || a.text != b.text || a.has_at != b.has_at || a.at != b.at ||
        a.steps.size() != b.steps.size())
        return false;
    for (size_t i = 0; i < a.steps.size(); i++)
        if (a.steps[i].kind != b.steps[i].kind || a.steps[i].n != b.steps[i].n) return false;
    return true;
}

void check_error(const Error &e, ErrorKind kind) {
    FUZZ_CHECK(e.kind() == kind);
    std::string_view what = e.what();
    FUZZ_CHECK(utf8_valid(what) && utf8_valid(e.detail()));
    FUZZ_CHECK(what.size() < 400 && e.detail().size() < 600);  // input is echoed cut to 64 characters
}

bool ref_name_ok(std::string_view s) {
    try {
        validate_ref_name(s, "branch");
        return true;
    } catch (const Error &e) {
        check_error(e, ErrorKind::BadName);
        return false;
    }
}

bool store_name_ok(std::string_view s) {
    try {
        validate_store_name(s);
        return true;
    } catch (const Error &e) {
        check_error(e, ErrorKind::BadName);
        return false;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string_view text(reinterpret_cast<const char *>(data), size);
    std::optional<Revision> rev;
    try {
        rev = parse_revision(text);
    } catch (const Error &e) {
        check_error(e, ErrorKind::BadRevision);
    }
    if (rev) {
        FUZZ_CHECK(rev->version >= 0);
        for (const RevisionStep &st : rev->steps) FUZZ_CHECK(st.n >= 0);
        if (rev->base == Revision::Base::Name) FUZZ_CHECK(ref_name_ok(rev->text));
        if (rev->base == Revision::Base::HashPrefix) {
            FUZZ_CHECK(rev->text.size() >= 7 && rev->text.size() <= 64);
            for (char c : rev->text) FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
        }
        if (rev->has_at) FUZZ_CHECK(!rev->at.empty() && rev->at.find('}') == std::string::npos);
        Revision again = parse_revision(format(*rev));  // must not throw
        FUZZ_CHECK(same(*rev, again));
    }

    bool ref_ok = ref_name_ok(text);
    bool store_ok = store_name_ok(text);
    if (ref_ok) {
        FUZZ_CHECK(store_ok);
        FUZZ_CHECK(rev && rev->base == Revision::Base::Name && rev->text == text && !rev->has_at &&
                   rev->steps.empty());
    }
    return 0;
}
