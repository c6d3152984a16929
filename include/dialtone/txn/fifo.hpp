#pragma once
// A first-in first-out queue over one vector that keeps its capacity: once warmed up, pushing
// and popping allocate nothing (std::deque frees and reallocates its blocks as it cycles).
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace dialtone::txn {

template <class T>
class Fifo {
public:
    void push(T value) { items_.push_back(std::move(value)); }

    std::optional<T> pop() {
        if (head_ == items_.size()) return std::nullopt;
        std::optional<T> out(std::move(items_[head_++]));
        if (head_ == items_.size()) {
            items_.clear();  // keeps the capacity
            head_ = 0;
        }
        return out;
    }

    bool empty() const { return head_ == items_.size(); }
    std::size_t size() const { return items_.size() - head_; }

private:
    std::vector<T> items_;
    std::size_t head_ = 0;
};

}  // namespace dialtone::txn
