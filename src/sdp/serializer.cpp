#include "dialtone/sdp/serializer.hpp"

#include <array>

namespace dialtone::sdp {
namespace {

// Writes the lines of one section and slots its unknown lines back after the line they followed.
class SectionWriter {
public:
    SectionWriter(std::string& out, const std::vector<UnknownLine>& unknown)
        : out_(out), unknown_(unknown), written_(unknown.size(), false) {}

    void line(char type, std::string_view value) {
        raw(type, value);
        auto& n = counts_[static_cast<std::size_t>(type - 'a')];
        ++n;
        for (std::size_t i = 0; i < unknown_.size(); ++i) {
            if (!written_[i] && unknown_[i].after == type && unknown_[i].index == n) {
                raw(unknown_[i].type, unknown_[i].value);
                written_[i] = true;
            }
        }
    }

    // Unknown lines whose anchor no longer exists go at the end of the section.
    void finish() {
        for (std::size_t i = 0; i < unknown_.size(); ++i)
            if (!written_[i]) raw(unknown_[i].type, unknown_[i].value);
    }

private:
    void raw(char type, std::string_view value) {
        out_ += type;
        out_ += '=';
        out_ += value;
        out_ += "\r\n";
    }

    std::string& out_;
    const std::vector<UnknownLine>& unknown_;
    std::vector<bool> written_;
    std::array<std::size_t, 26> counts_{};
};

std::string connection_text(const Connection& c) {
    return "IN " + std::string(to_string(c.address_type)) + " " + c.address;
}

std::string attribute_text(const Attribute& a) { return a.value ? a.name + ":" + *a.value : a.name; }

void write_media(std::string& out, const MediaDescription& m) {
    SectionWriter w(out, m.unknown_lines);
    std::string line = m.media + " " + std::to_string(m.port);
    if (m.port_count) line += "/" + std::to_string(*m.port_count);
    line += " " + m.proto;
    for (const auto& f : m.formats) line += " " + f;
    w.line('m', line);
    if (m.title) w.line('i', *m.title);
    for (const auto& c : m.connections) w.line('c', connection_text(c));
    for (const auto& b : m.bandwidths) w.line('b', b.type + ":" + std::to_string(b.value));
    if (m.key) w.line('k', *m.key);
    for (const auto& a : m.attributes) w.line('a', attribute_text(a));
    w.finish();
}

}  // namespace

std::string serialize(const SessionDescription& s) {
    std::string out;
    out.reserve(512);
    {
        SectionWriter w(out, s.unknown_lines);
        w.line('v', "0");
        const auto& o = s.origin;
        w.line('o', o.username + " " + o.session_id + " " + std::to_string(o.session_version) + " IN " +
                        std::string(to_string(o.address_type)) + " " + o.address);
        w.line('s', s.name);
        if (s.information) w.line('i', *s.information);
        if (s.uri) w.line('u', *s.uri);
        for (const auto& e : s.emails) w.line('e', e);
        for (const auto& p : s.phones) w.line('p', p);
        if (s.connection) w.line('c', connection_text(*s.connection));
        for (const auto& b : s.bandwidths) w.line('b', b.type + ":" + std::to_string(b.value));
        for (const auto& t : s.timings) {
            w.line('t', std::to_string(t.start) + " " + std::to_string(t.stop));
            for (const auto& r : t.repeats) w.line('r', r);
        }
        if (s.zone) w.line('z', *s.zone);
        if (s.key) w.line('k', *s.key);
        for (const auto& a : s.attributes) w.line('a', attribute_text(a));
        w.finish();
    }
    for (const auto& m : s.media) write_media(out, m);
    return out;
}

}  // namespace dialtone::sdp
