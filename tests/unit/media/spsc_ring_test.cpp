#include <doctest/doctest.h>

#include <cstdint>
#include <thread>
#include <vector>

#include "dialtone/media/spsc_ring.hpp"

using dialtone::media::SpscRing;

TEST_CASE("SPSC ring: capacity rounds up to a power of two") {
    CHECK(SpscRing<std::int16_t>(1000).capacity() == 1024);
    CHECK(SpscRing<std::int16_t>(1024).capacity() == 1024);
    CHECK(SpscRing<std::int16_t>(0).capacity() == 2);
}

TEST_CASE("SPSC ring: push stops when full, pop when empty, and order is kept across the wrap") {
    SpscRing<int> ring(8);
    std::vector<int> in = {1, 2, 3, 4, 5, 6};
    CHECK(ring.push(in) == 6);
    std::vector<int> out(4);
    CHECK(ring.pop(out) == 4);
    CHECK(out == std::vector<int>{1, 2, 3, 4});
    // 2 left; 6 more fit, wrapping round the end of the buffer.
    std::vector<int> more = {7, 8, 9, 10, 11, 12, 13};
    CHECK(ring.push(more) == 6);
    CHECK(ring.size() == 8);
    CHECK(ring.free_space() == 0);
    CHECK(ring.push(more) == 0);
    std::vector<int> all(10);
    CHECK(ring.pop(all) == 8);
    all.resize(8);
    CHECK(all == std::vector<int>{5, 6, 7, 8, 9, 10, 11, 12});
    CHECK(ring.pop(all) == 0);
}

TEST_CASE("SPSC ring: discard drops the oldest items") {
    SpscRing<int> ring(4);
    std::vector<int> in = {1, 2, 3};
    ring.push(in);
    CHECK(ring.discard(2) == 2);
    CHECK(ring.discard(5) == 1);
    CHECK(ring.size() == 0);
}

TEST_CASE("SPSC ring: a producer and a consumer thread pass a million samples intact") {
    SpscRing<std::int16_t> ring(256);
    constexpr std::size_t kTotal = 1'000'000;
    std::thread producer([&] {
        std::vector<std::int16_t> chunk(97);
        std::size_t sent = 0;
        while (sent < kTotal) {
            const std::size_t n = std::min(chunk.size(), kTotal - sent);
            for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<std::int16_t>((sent + i) & 0x7FFF);
            std::size_t done = 0;
            while (done < n) {
                done += ring.push(std::span<const std::int16_t>(chunk).subspan(done, n - done));
                if (done < n) std::this_thread::yield();
            }
            sent += n;
        }
    });
    std::vector<std::int16_t> got;
    got.reserve(kTotal);
    std::vector<std::int16_t> buf(61);
    while (got.size() < kTotal) {
        const std::size_t n = ring.pop(buf);
        got.insert(got.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
        if (n == 0) std::this_thread::yield();
    }
    producer.join();
    bool intact = true;
    for (std::size_t i = 0; i < kTotal && intact; ++i) intact = got[i] == static_cast<std::int16_t>(i & 0x7FFF);
    CHECK(intact);
    CHECK(ring.size() == 0);
}
