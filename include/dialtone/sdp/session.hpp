#pragma once
// The SDP model (RFC 8866, formerly RFC 4566). Lines the model knows get typed fields; attributes
// stay as name/value text so that unknown ones survive byte-exact, and typed views over the known
// ones live in attributes.hpp and crypto.hpp.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dialtone::sdp {

enum class AddressType { IP4, IP6 };

std::string_view to_string(AddressType t);

// o=<username> <sess-id> <sess-version> IN <addrtype> <unicast-address>  (RFC 8866 §5.2)
struct Origin {
    std::string username = "-";
    std::string session_id = "0";  // digits, kept as written (may exceed 64 bits in the wild)
    std::uint64_t session_version = 0;
    AddressType address_type = AddressType::IP4;
    std::string address = "0.0.0.0";

    bool operator==(const Origin&) const = default;
};

// c=IN <addrtype> <connection-address>  (RFC 8866 §5.7); multicast suffixes stay in `address`.
struct Connection {
    AddressType address_type = AddressType::IP4;
    std::string address;

    // RFC 3264 §8.4: an RFC 2543 peer puts hold as c=IN IP4 0.0.0.0.
    bool is_hold() const { return address_type == AddressType::IP4 && address == "0.0.0.0"; }
    bool operator==(const Connection&) const = default;
};

// b=<bwtype>:<bandwidth>  (RFC 8866 §5.8)
struct Bandwidth {
    std::string type;
    std::uint64_t value = 0;
    bool operator==(const Bandwidth&) const = default;
};

// t=<start-time> <stop-time> followed by its r= lines, kept as written (RFC 8866 §5.9, §5.10).
struct Timing {
    std::uint64_t start = 0;
    std::uint64_t stop = 0;
    std::vector<std::string> repeats;
    bool operator==(const Timing&) const = default;
};

// a=<name> or a=<name>:<value>; a property attribute has no value (RFC 8866 §5.13).
struct Attribute {
    std::string name;
    std::optional<std::string> value;
    bool operator==(const Attribute&) const = default;
};

// A line whose type letter SDP does not define (e.g. GB28181's y=). It is written back where it
// was read: after the `index`-th line (counting from 1; 0 = before any) of type `after` in its
// section.
struct UnknownLine {
    char type = 'x';
    std::string value;
    char after = 'v';
    std::size_t index = 0;
    bool operator==(const UnknownLine&) const = default;
};

// m=<media> <port>[/<number of ports>] <proto> <fmt> ...  and its i c b k a lines (RFC 8866 §5.14)
struct MediaDescription {
    std::string media = "audio";
    std::uint16_t port = 0;
    std::optional<std::uint32_t> port_count;
    std::string proto = "RTP/AVP";
    std::vector<std::string> formats;
    std::optional<std::string> title;           // i=
    std::vector<Connection> connections;        // c= (several only for multicast layers)
    std::vector<Bandwidth> bandwidths;          // b=
    std::optional<std::string> key;             // k= (obsolete, kept)
    std::vector<Attribute> attributes;          // a=
    std::vector<UnknownLine> unknown_lines;

    bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
    Origin origin;
    std::string name = "-";                     // s=
    std::optional<std::string> information;     // i=
    std::optional<std::string> uri;             // u=
    std::vector<std::string> emails;            // e=
    std::vector<std::string> phones;            // p=
    std::optional<Connection> connection;       // c=
    std::vector<Bandwidth> bandwidths;          // b=
    std::vector<Timing> timings{Timing{}};      // t= (+ r=), at least one
    std::optional<std::string> zone;            // z=
    std::optional<std::string> key;             // k=
    std::vector<Attribute> attributes;          // a=
    std::vector<MediaDescription> media;        // m= sections
    std::vector<UnknownLine> unknown_lines;     // unknown lines of the session section

    bool operator==(const SessionDescription&) const = default;
};

// Attribute lookup; names compare without regard to case.
const Attribute* find_attribute(const std::vector<Attribute>& attrs, std::string_view name);
std::vector<const Attribute*> find_attributes(const std::vector<Attribute>& attrs, std::string_view name);
bool has_attribute(const std::vector<Attribute>& attrs, std::string_view name);

// The connection that applies to a media section: its own first c=, else the session's.
const Connection* effective_connection(const SessionDescription& s, const MediaDescription& m);

}  // namespace dialtone::sdp
