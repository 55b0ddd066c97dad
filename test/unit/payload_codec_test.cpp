// payload_codec_test.cpp — the value encoding and the payload framing:
// exact bytes, round trips, compression choices, and corrupt input, which
// must always end in Error(CorruptPayload), never a crash.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/errors.hpp"
#include "core/payload_codec.hpp"

using namespace tscore;

namespace {

const EncodeOptions kNoZlib{-1, 6};
const EncodeOptions kAlwaysZlib{0, 6};

Value str(const char *s) { return Value::string(s); }
Value num(const char *s) { return Value::number(s); }

// A document with every kind, unicode, empty containers and exact numbers.
Value sample() {
    Value arr = Value::array();
    for (Value v : {Value::null(), Value::boolean(true), Value::boolean(false), num("1.0"), num("-0"),
                    num("1e-7"), num("123456789012345678901234567890.5"), str(""), str("ü€😀"),
                    Value::string(std::string("nul\0inside", 10)), Value::array(), Value::object()})
        arr.items().push_back(std::move(v));
    Value inner = Value::object();
    inner.set("x", num("0"));
    inner.set("größe", str("\"quoted\" \\ and \n newline"));
    Value v = Value::object();
    v.set("items", std::move(arr));
    v.set("inner", std::move(inner));
    v.set("", str("empty key"));
    v.set("long", Value::string(std::string(300, 'L')));  // two-byte varint length
    return v;
}

// About `bytes` of JSON-ish content: an array of small records.
Value big_doc(size_t bytes) {
    Value v = Value::array();
    for (size_t i = 0; v.items().size() * 60 < bytes; ++i) {
        Value rec = Value::object();
        rec.set("id", Value::number(std::to_string(i)));
        rec.set("name", Value::string("record number " + std::to_string(i)));
        rec.set("active", Value::boolean(i % 3 == 0));
        v.items().push_back(std::move(rec));
    }
    return v;
}

Value nested_arrays(int depth) {
    Value v = Value::array();
    for (int i = 1; i < depth; ++i) {
        Value outer = Value::array();
        outer.items().push_back(std::move(v));
        v = std::move(outer);
    }
    return v;
}

std::string bytes(std::initializer_list<int> list) {
    std::string s;
    for (int b : list) s.push_back(char(b));
    return s;
}

void expect_corrupt_value(const std::string &encoded, const char *why) {
    try {
        decode_value(encoded);
        ADD_FAILURE() << "decoded: " << why;
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::CorruptPayload) << why;
        EXPECT_STREQ(e.what(), "stored payload is corrupt");
        EXPECT_FALSE(e.detail().empty());
    }
}

void expect_corrupt_payload(const std::string &encoded, const std::string &why) {
    try {
        decode_payload(encoded);
        ADD_FAILURE() << "decoded: " << why;
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::CorruptPayload) << why;
    }
}

}  // namespace

TEST(ValueCodec, ExactBytes) {
    // The body format is on disk: {"a": [1, "x", null, true, false, {}]}.
    Value arr = Value::array();
    for (Value v : {num("1"), str("x"), Value::null(), Value::boolean(true), Value::boolean(false),
                    Value::object()})
        arr.items().push_back(std::move(v));
    Value v = Value::object();
    v.set("a", std::move(arr));
    EXPECT_EQ(encode_value(v), bytes({6, 1, 1, 'a', 5, 6, 3, 1, '1', 4, 1, 'x', 0, 2, 1, 6, 0}));
    EXPECT_EQ(encode_value(Value()), bytes({0}));
    EXPECT_EQ(encode_value(Value::array()), bytes({5, 0}));
}

TEST(ValueCodec, RoundTrips) {
    for (const Value &v : {sample(), Value(), Value::boolean(true), num("-12.5e+3"), str("solo"),
                           Value::array(), Value::object(), big_doc(200000)}) {
        std::string enc = encode_value(v);
        Value back = decode_value(enc);
        EXPECT_EQ(back, v);
        EXPECT_EQ(encode_value(back), enc);  // canonical
    }
}

TEST(ValueCodec, KeepsNumberTextAndKeyOrder) {
    Value back = decode_value(encode_value(sample()));
    const Value *items = back.find("items");
    ASSERT_NE(items, nullptr);
    EXPECT_EQ(items->items()[3].text(), "1.0");
    EXPECT_EQ(items->items()[6].text(), "123456789012345678901234567890.5");
    EXPECT_EQ(items->items()[9].text(), std::string("nul\0inside", 10));
    std::vector<std::string> keys;
    for (const Member &m : back.members()) keys.push_back(m.first);
    EXPECT_EQ(keys, (std::vector<std::string>{"", "long", "inner", "items"}));
}

TEST(ValueCodec, StringsMayHoldAnyUtf8AndNul) {
    Value v = Value::string(std::string("a\0b\xF0\x9F\x98\x80", 7));
    EXPECT_EQ(decode_value(encode_value(v)), v);
}

TEST(ValueCodec, LongStrings) {
    for (size_t n : {127, 128, 16383, 16384, 1 << 21}) {
        Value v = Value::string(std::string(n, 's'));
        EXPECT_EQ(decode_value(encode_value(v)), v) << n;
    }
}

TEST(ValueCodec, DepthLimit) {
    Value ok = nested_arrays(kMaxDepth);
    std::string enc = encode_value(ok);
    EXPECT_EQ(decode_value(enc), ok);

    Value deep = nested_arrays(kMaxDepth + 1);
    try {
        encode_value(deep);
        FAIL() << "encoded";
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::TooDeep);
    }

    // Hand-made bytes one level deeper than the encoder writes.
    std::string crafted;
    for (int i = 0; i < kMaxDepth; ++i) crafted += bytes({5, 1});
    crafted += bytes({5, 0});
    expect_corrupt_value(crafted, "too deep");
    // Far deeper still, and objects: refused, no stack overflow.
    std::string very_deep;
    for (int i = 0; i < 1000000; ++i) very_deep += bytes({6, 1, 0});
    very_deep += bytes({0});
    expect_corrupt_value(very_deep, "very deep");
}

TEST(ValueCodec, RefusesUnsortedMembersWhenEncoding) {
    Value v = Value::object();
    v.push_member_sorted("bb", Value());
    v.push_member_sorted("a", Value());  // wrong: shorter keys sort first
    EXPECT_THROW(encode_value(v), Error);
}

TEST(ValueCodec, CorruptInputs) {
    expect_corrupt_value("", "empty");
    expect_corrupt_value(bytes({7}), "unknown tag");
    expect_corrupt_value(bytes({0xff}), "unknown tag");
    expect_corrupt_value(bytes({0, 0}), "trailing byte");
    expect_corrupt_value(bytes({4, 2, 'a'}), "string past end");
    expect_corrupt_value(bytes({4, 1, 0xff}), "bad utf-8");
    expect_corrupt_value(bytes({4, 2, 0xc0, 0xaf}), "overlong utf-8");
    expect_corrupt_value(bytes({3, 0}), "empty number");
    expect_corrupt_value(bytes({3, 2, '0', '1'}), "leading zero");
    expect_corrupt_value(bytes({3, 3, 'N', 'a', 'N'}), "NaN");
    expect_corrupt_value(bytes({3, 2, '1', '.'}), "bare point");
    expect_corrupt_value(bytes({3, 2, '1', 'e'}), "bare exponent");
    expect_corrupt_value(bytes({3, 2, '+', '1'}), "plus sign");
    expect_corrupt_value(bytes({5, 2, 0}), "array short");
    expect_corrupt_value(bytes({5, 0xff, 0xff, 0xff, 0xff, 0x0f}), "huge count");
    expect_corrupt_value(bytes({6, 2, 1, 'b', 0, 1, 'a', 0}), "keys out of order");
    expect_corrupt_value(bytes({6, 2, 1, 'a', 0, 1, 'a', 0}), "duplicate keys");
    expect_corrupt_value(bytes({6, 1, 1, 0xff, 0}), "bad utf-8 key");
    expect_corrupt_value(bytes({6, 1, 1, 'a'}), "member without value");
    expect_corrupt_value(bytes({4, 0x80, 0x00}), "non-minimal varint");
    expect_corrupt_value(bytes({4, 0x80}), "truncated varint");
    expect_corrupt_value(bytes({4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}),
                         "length 2^64-1");
}

TEST(ValueCodec, EveryTruncationThrows) {
    std::string enc = encode_value(sample());
    for (size_t n = 0; n < enc.size(); ++n) expect_corrupt_value(enc.substr(0, n), "truncated");
}

TEST(ValueCodec, ByteFlipsNeverCrash) {
    std::string enc = encode_value(sample());
    std::mt19937 rng(42);
    for (size_t i = 0; i < enc.size(); ++i) {
        for (int round = 0; round < 8; ++round) {
            std::string bad = enc;
            bad[i] = char(rng());
            try {
                Value v = decode_value(bad);
                encode_value(v);  // whatever decoded is a well-formed tree
            } catch (const Error &e) {
                EXPECT_EQ(e.kind(), ErrorKind::CorruptPayload);
            }
        }
    }
}

TEST(Payload, HeaderBytes) {
    std::string p = encode_payload(PayloadKind::MergePatch, sample(), kNoZlib);
    ASSERT_GE(p.size(), 3u);
    EXPECT_EQ(uint8_t(p[0]), kPayloadFormat);
    EXPECT_EQ(uint8_t(p[0]), 1);
    EXPECT_EQ(uint8_t(p[1]), 3);
    EXPECT_EQ(uint8_t(p[2]), 0);
    EXPECT_EQ(p.substr(3), encode_value(sample()));
}

TEST(Payload, RoundTripsEveryKind) {
    for (PayloadKind kind : {PayloadKind::FullState, PayloadKind::JsonPatch, PayloadKind::MergePatch,
                             PayloadKind::Document})
        for (const EncodeOptions &opt : {kNoZlib, kAlwaysZlib}) {
            DecodedPayload d = decode_payload(encode_payload(kind, sample(), opt));
            EXPECT_EQ(d.kind, kind);
            EXPECT_EQ(d.body, sample());
        }
}

TEST(Payload, RawStateKeepsItsBytes) {
    std::string body = encode_value(big_doc(3000));  // any bytes; these compress
    body.push_back('\0');
    for (const EncodeOptions &opt : {kNoZlib, kAlwaysZlib}) {
        std::string p = encode_raw_payload(PayloadKind::RawState, body, opt);
        EXPECT_EQ(p[1], char(PayloadKind::RawState));
        EXPECT_EQ(p[2], char(opt.compression_threshold < 0 ? Compression::None : Compression::Zlib));
        DecodedPayload d = decode_payload(p);
        EXPECT_EQ(d.kind, PayloadKind::RawState);
        EXPECT_EQ(d.raw, body);
        EXPECT_TRUE(d.body.is_null());
        // Room for a header before the body, without a copy.
        EXPECT_EQ(decode_payload(p, true, 4).raw, std::string(4, '\0') + body);
        // Only its writer can read it: applying it is a corrupt payload.
        EXPECT_THROW(apply_payload(Value(), d), Error);
        // A damaged compressed body is corrupt, not a crash.
        if (d.compression == Compression::Zlib) expect_corrupt_payload(p.substr(0, p.size() - 5), "raw truncated");
    }
    EXPECT_EQ(encode_raw_payload(PayloadKind::RawState, "ab", kAlwaysZlib), bytes({1, 6, 0, 'a', 'b'}));
}

TEST(Payload, CompressionThreshold) {
    Value doc = big_doc(20000);
    size_t raw = encode_value(doc).size();

    std::string never = encode_payload(PayloadKind::FullState, doc, {-1, 6});
    EXPECT_EQ(never[2], char(Compression::None));
    EXPECT_EQ(never.size(), raw + 3);

    std::string above = encode_payload(PayloadKind::FullState, doc, {int64_t(raw) - 1, 6});
    EXPECT_EQ(above[2], char(Compression::Zlib));
    EXPECT_LT(above.size(), raw / 2);
    DecodedPayload d = decode_payload(above);
    EXPECT_EQ(d.compression, Compression::Zlib);
    EXPECT_EQ(d.body, doc);

    // Only bodies strictly larger than the threshold are compressed.
    std::string at = encode_payload(PayloadKind::FullState, doc, {int64_t(raw), 6});
    EXPECT_EQ(at[2], char(Compression::None));

    for (int level : {-1, 0, 1, 9}) {
        DecodedPayload l = decode_payload(encode_payload(PayloadKind::FullState, doc, {0, level}));
        EXPECT_EQ(l.body, doc) << level;
    }
}

TEST(Payload, IncompressibleBodiesStayUncompressed) {
    // A short random text: deflate's framing costs more than it saves.
    std::mt19937 rng(7);
    std::string noise;
    for (int i = 0; i < 40; ++i) noise.push_back(char('!' + rng() % 90));
    std::string p = encode_payload(PayloadKind::FullState, Value::string(noise), kAlwaysZlib);
    EXPECT_EQ(p[2], char(Compression::None));
    // Level 0 only stores, which is never smaller.
    std::string stored = encode_payload(PayloadKind::FullState, big_doc(5000), {0, 0});
    EXPECT_EQ(stored[2], char(Compression::None));
    // A tiny body above a zero threshold does not pay either.
    std::string tiny = encode_payload(PayloadKind::FullState, Value(), kAlwaysZlib);
    EXPECT_EQ(tiny, bytes({1, 1, 0, 0}));
}

TEST(Payload, BadCompressionLevel) {
    try {
        encode_payload(PayloadKind::FullState, sample(), {0, 10});
        FAIL();
    } catch (const Error &e) {
        EXPECT_EQ(e.kind(), ErrorKind::Invalid);
    }
}

TEST(Payload, CorruptHeaders) {
    std::string good = encode_payload(PayloadKind::FullState, sample(), kNoZlib);
    expect_corrupt_payload("", "empty");
    expect_corrupt_payload(good.substr(0, 2), "short header");
    for (int format : {0, 2, 255}) {
        std::string p = good;
        p[0] = char(format);
        expect_corrupt_payload(p, "format " + std::to_string(format));
    }
    for (int kind : {0, 5, 255}) {
        std::string p = good;
        p[1] = char(kind);
        expect_corrupt_payload(p, "kind " + std::to_string(kind));
    }
    for (int comp : {2, 255}) {
        std::string p = good;
        p[2] = char(comp);
        expect_corrupt_payload(p, "compression " + std::to_string(comp));
    }
}

TEST(Payload, CorruptCompressedBodies) {
    Value doc = big_doc(5000);
    std::string good = encode_payload(PayloadKind::FullState, doc, kAlwaysZlib);
    ASSERT_EQ(good[2], char(Compression::Zlib));
    size_t raw = encode_value(doc).size();
    // Rebuild with a wrong recorded length (one less, one more, absurd).
    auto with_len = [&](const std::string &len) {
        std::string body = good.substr(3);
        size_t old = 0;
        while (uint8_t(body[old]) & 0x80) ++old;
        return good.substr(0, 3) + len + body.substr(old + 1);
    };
    auto varint = [](uint64_t n) {
        std::string s;
        for (; n >= 0x80; n >>= 7) s.push_back(char(n | 0x80));
        s.push_back(char(n));
        return s;
    };
    EXPECT_NO_THROW(decode_payload(with_len(varint(raw))));
    expect_corrupt_payload(with_len(varint(raw - 1)), "length - 1");
    expect_corrupt_payload(with_len(varint(raw + 1)), "length + 1");
    expect_corrupt_payload(with_len(varint(uint64_t(1) << 62)), "absurd length");
    expect_corrupt_payload(with_len(varint(0)), "zero length");
    expect_corrupt_payload(good + "x", "trailing byte after the zlib stream");
    for (size_t n = 0; n < good.size(); ++n) expect_corrupt_payload(good.substr(0, n), "truncated");
    // Flipped bytes: zlib's checksum or the value decoder must catch them.
    for (size_t i = 3; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = char(bad[i] ^ 0x5a);
        try {
            decode_payload(bad);
        } catch (const Error &e) {
            EXPECT_EQ(e.kind(), ErrorKind::CorruptPayload);
        }
    }
}

TEST(Payload, EveryTruncationOfAnUncompressedPayloadThrows) {
    std::string good = encode_payload(PayloadKind::JsonPatch, sample(), kNoZlib);
    for (size_t n = 0; n < good.size(); ++n) expect_corrupt_payload(good.substr(0, n), "truncated");
}

TEST(Payload, BigDocuments) {
    Value doc = big_doc(2 << 20);
    for (const EncodeOptions &opt : {kNoZlib, kAlwaysZlib}) {
        DecodedPayload d = decode_payload(encode_payload(PayloadKind::FullState, doc, opt));
        EXPECT_EQ(d.body, doc);
    }
}

TEST(ValueCodec, RefusesWhatCouldNotBeReadBack) {
    Value bad_key = Value::object();
    bad_key.set("\xff", Value());
    for (const Value &v : {Value::number("NaN"), Value::number("01"), Value::number(""),
                           Value::string("\xc3"), bad_key}) {
        try {
            encode_value(v);
            ADD_FAILURE() << "encoded";
        } catch (const Error &e) {
            EXPECT_EQ(e.kind(), ErrorKind::Invalid);
        }
    }
}
