#include "dialtone/sip/auto_answer.hpp"

#include <algorithm>

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/typed.hpp"

namespace dialtone::sip {

namespace {

// RFC 5373 §4: answer-mode-value *(SEMI answer-mode-param); the value is a case-insensitive token.
bool asks_auto(std::string_view value) {
    const auto semi = value.find(';');
    return base::iequals(base::trim(value.substr(0, semi)), "Auto");
}

}  // namespace

std::optional<std::uint32_t> requested_answer_after(const Message& invite) {
    std::optional<std::uint32_t> out;
    auto take = [&out](std::uint32_t seconds) { out = out ? std::min(*out, seconds) : seconds; };
    if (auto infos = call_info(invite))
        for (const auto& i : *infos)
            if (auto after = i.answer_after()) take(*after);
    if (auto alerts = alert_info(invite))
        for (const auto& a : *alerts)
            if (auto info = a.info(); info && base::iequals(*info, "alert-autoanswer")) take(0);
    for (auto id : {HeaderId::AnswerMode, HeaderId::PrivAnswerMode})
        for (std::string_view v : invite.values(id))
            if (asks_auto(v)) take(0);
    return out;
}

}  // namespace dialtone::sip
