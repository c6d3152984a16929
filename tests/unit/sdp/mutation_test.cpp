// Damaged input never breaks the parser: every mutation of the peer samples either parses to a
// description that serializes to a fixed point or gives an error that names a line.
#include "test_util.hpp"

#include "dialtone/base/random.hpp"

using namespace sdp_test;

namespace {

const char* const kSamples[] = {"baresip_srtp_offer.sdp", "linphone_offer.sdp", "pjsua_offer.sdp",
                                "freeswitch_srtp_offer.sdp", "gb28181_unknown_lines.sdp"};

std::string mutate(std::string s, dialtone::base::Random& rng) {
    static const std::string kChars = "=:/ \t\r\n0123456789aAmvotcb-;|^*\x7f\x01";
    const auto n = rng.uniform(1, 4);
    for (std::uint64_t i = 0; i < n && !s.empty(); ++i) {
        const auto pos = static_cast<std::size_t>(rng.uniform(0, s.size() - 1));
        switch (rng.uniform(0, 3)) {
        case 0: s[pos] = kChars[static_cast<std::size_t>(rng.uniform(0, kChars.size() - 1))]; break;
        case 1: s.erase(pos, static_cast<std::size_t>(rng.uniform(1, 16))); break;
        case 2: s.insert(pos, 1, kChars[static_cast<std::size_t>(rng.uniform(0, kChars.size() - 1))]); break;
        default: s.resize(pos); break;
        }
    }
    return s;
}

}  // namespace

TEST_CASE("parse: mutated peer samples parse to a fixed point or fail naming the fault") {
    dialtone::base::SeededRandom rng(8866);
    std::size_t accepted = 0, rejected = 0;
    for (const char* name : kSamples) {
        const std::string original = read_data(name);
        for (int i = 0; i < 400; ++i) {
            const std::string text = mutate(original, rng);
            auto first = parse(text);
            if (!first.ok()) {
                ++rejected;
                CHECK(first.error().status == 400);
                CHECK(first.error().message.rfind("SDP ", 0) == 0);
                continue;
            }
            ++accepted;
            auto second = parse(serialize(*first));
            REQUIRE_MESSAGE(second.ok(), (second.ok() ? std::string() : second.error().message) << "\n" << text);
            CHECK_MESSAGE(*second == *first, text);
            CHECK(serialize(*second) == serialize(*first));
        }
    }
    // Both outcomes occur, so the check above is not vacuous.
    CHECK(accepted > 100);
    CHECK(rejected > 100);
}

TEST_CASE("negotiator: mutated offers are answered or refused with a status, never broken") {
    dialtone::base::SeededRandom rng(3264);
    const std::string original = read_data("pjsua_srtp_optional_offer.sdp");
    auto cfg = config();
    cfg.srtp = SrtpMode::Optional;
    cfg.keys = {key(SrtpSuite::AesCm128HmacSha1_80)};
    for (int i = 0; i < 400; ++i) {
        auto offer = parse(mutate(original, rng));
        if (!offer.ok()) continue;
        auto n = negotiator(cfg);
        auto s = n.receive_offer(*offer);
        if (!s.ok()) {
            CHECK(s.error().status == 488);
            continue;
        }
        auto answer = n.create_answer();
        REQUIRE(answer.ok());
        CHECK(answer->media.size() == offer->media.size());
        auto reparsed = parse(serialize(*answer));
        CHECK(reparsed.ok());
    }
}
