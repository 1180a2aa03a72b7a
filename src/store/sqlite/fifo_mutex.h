// FifoMutex: a mutex handed to its waiters in the order they asked (a ticket lock). A thread that
// unlocks and locks again goes behind every thread already waiting, so a long job done in steps
// (SqliteStore::DropItems) lets the calls that queued during a step in before its next one; a
// plain std::mutex lets the unlocking thread win again at once. Thread-safe; BasicLockable.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace sluice::store::sqlite {

class FifoMutex {
 public:
  void lock() {
    std::unique_lock guard(mu_);
    std::uint64_t ticket = next_++;
    turn_.wait(guard, [&] { return serving_ == ticket; });
  }
  void unlock() {
    {
      std::lock_guard guard(mu_);
      ++serving_;
    }
    turn_.notify_all();  // few waiters: the store's threads
  }

 private:
  std::mutex mu_;
  std::condition_variable turn_;
  std::uint64_t next_ = 0;     // the ticket of the next thread to ask
  std::uint64_t serving_ = 0;  // the ticket that holds the mutex, or may take it
};

}  // namespace sluice::store::sqlite
