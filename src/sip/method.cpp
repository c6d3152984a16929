#include "dialtone/sip/method.hpp"

#include <array>
#include <utility>

namespace dialtone::sip {

namespace {
constexpr std::array<std::pair<Method, std::string_view>, 14> kMethods{{
    {Method::Invite, "INVITE"},
    {Method::Ack, "ACK"},
    {Method::Bye, "BYE"},
    {Method::Cancel, "CANCEL"},
    {Method::Register, "REGISTER"},
    {Method::Options, "OPTIONS"},
    {Method::Info, "INFO"},
    {Method::Message, "MESSAGE"},
    {Method::Update, "UPDATE"},
    {Method::Prack, "PRACK"},
    {Method::Refer, "REFER"},
    {Method::Notify, "NOTIFY"},
    {Method::Subscribe, "SUBSCRIBE"},
    {Method::Publish, "PUBLISH"},
}};
}  // namespace

Method parse_method(std::string_view text) {
    // §7.1: the method is case-sensitive.
    for (const auto& [m, name] : kMethods)
        if (name == text) return m;
    return Method::Unknown;
}

std::string_view to_string(Method m) {
    for (const auto& [mm, name] : kMethods)
        if (mm == m) return name;
    return {};
}

}  // namespace dialtone::sip
