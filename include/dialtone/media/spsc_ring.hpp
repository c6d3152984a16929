#pragma once
// A lock-free ring for exactly one producer thread and one consumer thread, e.g. a PortAudio
// callback and the media thread. Capacity is a power of two; nothing allocates after
// construction, nothing blocks, and both sides may move any number of items per call.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <memory>
#include <new>
#include <span>
#include <type_traits>

namespace dialtone::media {

template <class T>
class SpscRing {
    static_assert(std::is_trivially_copyable_v<T>, "the ring copies items as plain values");

public:
    // Rounds `min_capacity` up to a power of two (at least 2).
    explicit SpscRing(std::size_t min_capacity)
        : capacity_(std::bit_ceil(std::max<std::size_t>(min_capacity, 2))),
          mask_(capacity_ - 1),
          buffer_(std::make_unique<T[]>(capacity_)) {}

    SpscRing(const SpscRing&) = delete;
    SpscRing& operator=(const SpscRing&) = delete;

    std::size_t capacity() const { return capacity_; }

    // Producer side: copies as many items as fit and returns how many.
    std::size_t push(std::span<const T> items) {
        const std::size_t head = head_.load(std::memory_order_relaxed);
        const std::size_t tail = tail_.load(std::memory_order_acquire);  // consumer's progress
        const std::size_t n = std::min(items.size(), capacity_ - (head - tail));
        copy_in(head, items.first(n));
        head_.store(head + n, std::memory_order_release);  // publish the items
        return n;
    }

    // Consumer side: copies up to out.size() items and returns how many.
    std::size_t pop(std::span<T> out) {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        const std::size_t head = head_.load(std::memory_order_acquire);  // producer's items
        const std::size_t n = std::min(out.size(), head - tail);
        copy_out(tail, out.first(n));
        tail_.store(tail + n, std::memory_order_release);  // hand the slots back
        return n;
    }

    // Consumer side: drops up to `n` items (e.g. to bound latency) and returns how many.
    std::size_t discard(std::size_t n) {
        const std::size_t tail = tail_.load(std::memory_order_relaxed);
        const std::size_t head = head_.load(std::memory_order_acquire);
        n = std::min(n, head - tail);
        tail_.store(tail + n, std::memory_order_release);
        return n;
    }

    // Either side; exact only from the side that is not moving.
    std::size_t size() const {
        return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
    }
    std::size_t free_space() const { return capacity_ - size(); }

private:
    void copy_in(std::size_t at, std::span<const T> items) {
        const std::size_t start = at & mask_;
        const std::size_t first = std::min(items.size(), capacity_ - start);
        std::copy_n(items.begin(), first, buffer_.get() + start);
        std::copy_n(items.begin() + static_cast<std::ptrdiff_t>(first), items.size() - first, buffer_.get());
    }
    void copy_out(std::size_t at, std::span<T> out) const {
        const std::size_t start = at & mask_;
        const std::size_t first = std::min(out.size(), capacity_ - start);
        std::copy_n(buffer_.get() + start, first, out.begin());
        std::copy_n(buffer_.get(), out.size() - first, out.begin() + static_cast<std::ptrdiff_t>(first));
    }

    // Indices count items ever pushed/popped and wrap through size_t; slots are index & mask.
    // Each sits on its own cache line so the two threads do not share one.
    static constexpr std::size_t kLine = 64;
    const std::size_t capacity_;
    const std::size_t mask_;
    std::unique_ptr<T[]> buffer_;
    alignas(kLine) std::atomic<std::size_t> head_{0};  // written by the producer only
    alignas(kLine) std::atomic<std::size_t> tail_{0};  // written by the consumer only
};

}  // namespace dialtone::media
