#include "dialtone/sip/message.hpp"

#include "dialtone/base/strings.hpp"
#include "dialtone/sip/comma_list.hpp"
#include "typed_headers.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstring>
#include <functional>

namespace dialtone::sip {

namespace {
constexpr std::string_view kSipVersion = "SIP/2.0";
constexpr std::size_t kChunkSize = 512;

bool within(std::string_view v, const char* begin, std::size_t size) {
    std::less_equal<const char*> le;
    return v.data() != nullptr && le(begin, v.data()) && le(v.data() + v.size(), begin + size);
}
}  // namespace

Message::Message() : version_(kSipVersion) {}
Message::~Message() = default;
Message::Message(Message&&) noexcept = default;
Message& Message::operator=(Message&&) noexcept = default;

Message::Message(const Message& other) { copy_from(other); }

Message& Message::operator=(const Message& other) {
    if (this != &other) {
        Message tmp(other);
        *this = std::move(tmp);
    }
    return *this;
}

// A copy gets its own storage; every view that pointed into the other's storage is moved to the
// same offset in ours. Views into static strings (canonical names) stay as they are.
void Message::copy_from(const Message& other) {
    struct Map {
        const char* from;
        std::size_t size;
        const char* to;
    };
    std::vector<Map> maps;
    maps.reserve(other.extra_.size() + 1);
    if (!other.raw_view_.empty()) {
        raw_.data = std::make_unique_for_overwrite<char[]>(other.raw_view_.size());
        raw_.size = other.raw_view_.size();
        std::memcpy(raw_.data.get(), other.raw_view_.data(), raw_.size);
        raw_view_ = std::string_view(raw_.data.get(), raw_.size);
        maps.push_back({other.raw_view_.data(), raw_.size, raw_.data.get()});
    }
    extra_.reserve(other.extra_.size());
    for (const Chunk& c : other.extra_) {
        Chunk mine{std::make_unique_for_overwrite<char[]>(c.capacity), c.size, c.capacity};
        std::memcpy(mine.data.get(), c.data.get(), c.size);
        maps.push_back({c.data.get(), c.size, mine.data.get()});
        extra_.push_back(std::move(mine));
    }
    auto rebase = [&maps](std::string_view v) -> std::string_view {
        for (const Map& m : maps)
            if (within(v, m.from, m.size)) return {m.to + (v.data() - m.from), v.size()};
        return v;
    };
    is_request_ = other.is_request_;
    method_ = other.method_;
    status_code_ = other.status_code_;
    method_text_ = rebase(other.method_text_);
    request_uri_ = rebase(other.request_uri_);
    version_ = rebase(other.version_);
    reason_ = rebase(other.reason_);
    headers_.reserve(other.headers_.size());
    for (const HeaderField& f : other.headers_) headers_.push_back({f.id, rebase(f.name), rebase(f.value)});
    body_ = rebase(other.body_);
}

TypedHeaders& Message::typed_headers() const {
    if (!typed_) typed_ = std::make_unique<TypedHeaders>();
    return *typed_;
}

void Message::headers_edited() {
    if (typed_) *typed_ = TypedHeaders{};
}

std::string_view Message::store(std::string_view bytes) {
    if (bytes.empty()) return {};
    // Builders add many short values: pack them into chunks of a few hundred bytes rather than
    // allocating each. Chunks never grow, so earlier views stay valid.
    if (extra_.empty() || extra_.back().capacity - extra_.back().size < bytes.size()) {
        const std::size_t capacity = std::max(bytes.size(), kChunkSize);
        extra_.push_back(Chunk{std::make_unique_for_overwrite<char[]>(capacity), 0, capacity});
    }
    Chunk& c = extra_.back();
    char* at = c.data.get() + c.size;
    std::memcpy(at, bytes.data(), bytes.size());
    c.size += bytes.size();
    return {at, bytes.size()};
}

// --- builders ---------------------------------------------------------------------------------

Message Message::request(Method method, std::string_view request_uri) {
    Message m;
    m.is_request_ = true;
    m.method_ = method;
    m.method_text_ = to_string(method);
    m.request_uri_ = m.store(request_uri);
    return m;
}

Message Message::request(std::string_view method, std::string_view request_uri) {
    Message m;
    m.is_request_ = true;
    m.method_ = parse_method(method);
    m.method_text_ = m.method_ != Method::Unknown ? to_string(m.method_) : m.store(method);
    m.request_uri_ = m.store(request_uri);
    return m;
}

Message Message::response(int status_code, std::string_view reason) {
    Message m;
    m.is_request_ = false;
    m.status_code_ = status_code;
    m.reason_ = m.store(reason);
    return m;
}

void Message::set_request_uri(std::string_view uri) { request_uri_ = store(uri); }
void Message::set_reason(std::string_view reason) { reason_ = store(reason); }

// --- headers ----------------------------------------------------------------------------------

const HeaderField* Message::find(HeaderId id) const {
    if (id == HeaderId::Other) return nullptr;
    for (const HeaderField& f : headers_)
        if (f.id == id) return &f;
    return nullptr;
}

const HeaderField* Message::find(std::string_view name) const {
    const HeaderId id = header_id(name);
    if (id != HeaderId::Other) return find(id);
    for (const HeaderField& f : headers_)
        if (f.id == HeaderId::Other && base::iequals(f.name, name)) return &f;
    return nullptr;
}

std::size_t Message::count(HeaderId id) const {
    return static_cast<std::size_t>(
        std::count_if(headers_.begin(), headers_.end(), [id](const HeaderField& f) { return f.id == id; }));
}

std::vector<std::string_view> Message::values(HeaderId id) const {
    std::vector<std::string_view> out;
    if (id == HeaderId::Other) return out;
    const bool list = is_comma_list(id);
    for (const HeaderField& f : headers_) {
        if (f.id != id) continue;
        if (list) split_comma_list(f.value, out);
        else out.push_back(f.value);
    }
    return out;
}

std::vector<std::string_view> Message::values(std::string_view name) const {
    const HeaderId id = header_id(name);
    if (id != HeaderId::Other) return values(id);
    std::vector<std::string_view> out;
    for (const HeaderField& f : headers_)
        if (f.id == HeaderId::Other && base::iequals(f.name, name)) out.push_back(f.value);
    return out;
}

void Message::add_header(HeaderId id, std::string_view value) {
    headers_edited();
    assert(id != HeaderId::Other && "unknown headers are added by name");
    if (id == HeaderId::Other) return;
    headers_.push_back({id, canonical_name(id), store(value)});
}

void Message::add_header(std::string_view name, std::string_view value) {
    headers_edited();
    const HeaderId id = header_id(name);
    const std::string_view canonical = canonical_name(id);
    headers_.push_back({id, canonical == name ? canonical : store(name), store(value)});
}

void Message::prepend_header(HeaderId id, std::string_view value) {
    headers_edited();
    assert(id != HeaderId::Other && "unknown headers are added by name");
    if (id == HeaderId::Other) return;
    auto it = std::find_if(headers_.begin(), headers_.end(), [id](const HeaderField& f) { return f.id == id; });
    headers_.insert(it, {id, canonical_name(id), store(value)});
}

namespace {
template <class Match>
void set_matching(std::vector<HeaderField>& headers, Match match, HeaderField field) {
    auto first = std::find_if(headers.begin(), headers.end(), match);
    if (first == headers.end()) {
        headers.push_back(field);
        return;
    }
    first->value = field.value;
    headers.erase(std::remove_if(first + 1, headers.end(), match), headers.end());
}
}  // namespace

void Message::set_header(HeaderId id, std::string_view value) {
    headers_edited();
    assert(id != HeaderId::Other && "unknown headers are set by name");
    if (id == HeaderId::Other) return;
    set_matching(headers_, [id](const HeaderField& f) { return f.id == id; },
                 {id, canonical_name(id), store(value)});
}

void Message::set_header(std::string_view name, std::string_view value) {
    const HeaderId id = header_id(name);
    if (id != HeaderId::Other) {
        set_header(id, value);
        return;
    }
    set_matching(headers_, [name](const HeaderField& f) { return f.id == HeaderId::Other && base::iequals(f.name, name); },
                 {id, store(name), store(value)});
}

std::size_t Message::remove_header(HeaderId id) {
    headers_edited();
    if (id == HeaderId::Other) return 0;
    return static_cast<std::size_t>(std::erase_if(headers_, [id](const HeaderField& f) { return f.id == id; }));
}

std::size_t Message::remove_header(std::string_view name) {
    const HeaderId id = header_id(name);
    if (id != HeaderId::Other) return remove_header(id);
    return static_cast<std::size_t>(std::erase_if(
        headers_, [name](const HeaderField& f) { return f.id == HeaderId::Other && base::iequals(f.name, name); }));
}

// --- body -------------------------------------------------------------------------------------

void Message::set_body(std::string_view content_type, std::string_view bytes) {
    body_ = store(bytes);
    if (content_type.empty()) remove_header(HeaderId::ContentType);
    else set_header(HeaderId::ContentType, content_type);
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, bytes.size());
    (void)ec;
    set_header(HeaderId::ContentLength, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

// --- output -----------------------------------------------------------------------------------

std::string Message::serialize() const {
    std::string out;
    serialize_to(out);
    return out;
}

std::size_t Message::serialized_size() const {
    std::size_t size = 2;  // the start line's CRLF
    if (is_request_) {
        size += method_text_.size() + 1 + request_uri_.size() + 1;
    } else {
        size += std::to_string(status_code_).size() + 2 + reason_.size();
    }
    size += base::iequals(version_, kSipVersion) ? kSipVersion.size() : version_.size();
    const std::size_t length_digits = std::to_string(body_.size()).size();
    bool wrote_length = false;
    for (const HeaderField& f : headers_) {
        std::size_t value = f.value.size();
        if (f.id == HeaderId::ContentLength) {
            if (wrote_length) continue;
            wrote_length = true;
            value = length_digits;
        }
        size += (f.id == HeaderId::Other ? f.name.size() : canonical_name(f.id).size()) + 2 + value + 2;
    }
    if (!wrote_length) size += std::string_view("Content-Length: ").size() + length_digits + 2;
    return size + 2 + body_.size();
}

void Message::serialize_to(std::string& out) const {
    std::size_t size = 64 + method_text_.size() + request_uri_.size() + reason_.size() + body_.size();
    for (const HeaderField& f : headers_) size += f.name.size() + f.value.size() + 4;
    out.reserve(out.size() + size);

    const std::string_view version = base::iequals(version_, kSipVersion) ? kSipVersion : version_;
    if (is_request_) {
        out.append(method_text_).append(1, ' ').append(request_uri_).append(1, ' ').append(version);
    } else {
        char code[16];
        auto [end, ec] = std::to_chars(code, code + sizeof code, status_code_);
        (void)ec;
        out.append(version).append(1, ' ').append(code, static_cast<std::size_t>(end - code));
        out.append(1, ' ').append(reason_);
    }
    out.append("\r\n");

    char length[24];
    auto [length_end, ec] = std::to_chars(length, length + sizeof length, body_.size());
    (void)ec;
    const std::string_view content_length(length, static_cast<std::size_t>(length_end - length));
    bool wrote_length = false;
    for (const HeaderField& f : headers_) {
        std::string_view value = f.value;
        if (f.id == HeaderId::ContentLength) {
            // §20.14: exactly one Content-Length, and it matches the body.
            if (wrote_length) continue;
            wrote_length = true;
            value = content_length;
        }
        out.append(f.id == HeaderId::Other ? f.name : canonical_name(f.id)).append(": ").append(value).append("\r\n");
    }
    if (!wrote_length) out.append("Content-Length: ").append(content_length).append("\r\n");
    out.append("\r\n").append(body_);
}

}  // namespace dialtone::sip
