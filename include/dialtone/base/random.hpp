#pragma once
// The randomness interface: tags, branches, Call-IDs, cnonces and retry jitter come from here,
// so a test can seed it and replay a run exactly.
#include <cstdint>
#include <string>

namespace dialtone::base {

class Random {
public:
    virtual ~Random() = default;
    virtual std::uint64_t next_u64() = 0;

    // Uniform in [lo, hi] (inclusive).
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi);
    // `n` characters from [0-9a-z]: safe in tags, branches and Call-IDs.
    std::string token(std::size_t n);
    // `n` random bytes as lower-case hex (2n characters).
    std::string hex(std::size_t n_bytes);
};

// Deterministic generator (splitmix64 seeding xoshiro256**) for tests and simulations.
class SeededRandom final : public Random {
public:
    explicit SeededRandom(std::uint64_t seed);
    std::uint64_t next_u64() override;

private:
    std::uint64_t s_[4];
};

}  // namespace dialtone::base
