#pragma once
// The opaque Destination handles of the transaction layer, as io/ keeps them: one per remote
// address, handed out on first sight.
#include "dialtone/sip/uri.hpp"
#include "dialtone/txn/destination.hpp"
#include "dialtone/ua/datagram.hpp"

#include <cstdint>
#include <vector>

namespace dialtone::scenario {

class AddressBook {
public:
    std::uint64_t handle(const ua::Address& a) {
        for (std::size_t i = 0; i < addresses_.size(); ++i)
            if (addresses_[i] == a) return i + 1;
        addresses_.push_back(a);
        return addresses_.size();
    }
    const ua::Address& address(std::uint64_t handle) const { return addresses_.at(handle - 1); }
    txn::Destination destination(const ua::Address& a) { return txn::Destination{handle(a), txn::Transport::Udp}; }

private:
    std::vector<ua::Address> addresses_;
};

// Where a SIP URI points in the simulation: its host and port (5060 when absent). The
// simulation uses numeric hosts only, so there is nothing to resolve (RFC 3263 is io's).
inline ua::Address address_of(const sip::Uri& uri) { return ua::Address{uri.host().name, uri.port().value_or(5060)}; }

}  // namespace dialtone::scenario
