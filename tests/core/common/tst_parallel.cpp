// The parallel-for helpers (common/parallel.h): an exception thrown inside a parallel body, a
// failed allocation included, reaches the caller after the loop instead of terminating the
// process (issue 16), with 1 and 2 threads, for every helper; the loop is usable again afterwards.
#include "common/parallel.h"

#include <QtTest>

#include <atomic>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

using namespace latentscape;

namespace {

constexpr std::int64_t kItems = 10000;

/// A real allocation that cannot succeed (2^62 bytes): std::bad_alloc from operator new. Under
/// AddressSanitizer operator new reports and aborts instead of throwing, so there it throws the
/// same exception itself.
std::size_t allocate_too_much() {
#if defined(__SANITIZE_ADDRESS__)
    throw std::bad_alloc();
#endif
    volatile std::size_t huge = std::size_t(1) << 62;
    auto p = std::make_unique<char[]>(huge);
    return std::size_t(p[0]);
}

/// The message of the std::runtime_error `call` throws, or "no error".
template <class F>
std::string message_of(F&& call) {
    try {
        call();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

class TstParallel : public QObject {
    Q_OBJECT

private slots:
    void init() {
        QFETCH(int, threads);
        parallel::set_max_threads(threads);
    }
    void cleanup() { parallel::set_max_threads(2); }

    void badAllocReachesTheCaller_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("1 thread") << 1;
        QTest::newRow("2 threads") << 2;
    }
    void badAllocReachesTheCaller() {
        QFETCH(int, threads);
        QCOMPARE(parallel::threads_in_region(), threads);  // the region really has that many
        std::vector<std::size_t> out(kItems, 0);
        auto body = [&](std::int64_t i) {
            out[std::size_t(i)] = i == 7777 ? allocate_too_much() : std::size_t(i);
        };
        QVERIFY_THROWS_EXCEPTION(std::bad_alloc, parallel::for_each(kItems, body));
        QVERIFY_THROWS_EXCEPTION(std::bad_alloc, parallel::for_each_dynamic(kItems, body));
        QVERIFY_THROWS_EXCEPTION(std::bad_alloc, parallel::for_each_with_thread(kItems, [&](int, std::int64_t i) { body(i); }));
        QVERIFY_THROWS_EXCEPTION(std::bad_alloc, parallel::min_of(
                                                     kItems, [&](std::int64_t i) {
                                                         body(i);
                                                         return i;
                                                     },
                                                     kItems));
        QVERIFY_THROWS_EXCEPTION(std::bad_alloc, parallel::first_index_where(kItems, [&](std::int64_t i) {
                                     body(i);
                                     return false;
                                 }));
        // Serial too (enabled = false): the same exception, not a different path.
        QVERIFY_THROWS_EXCEPTION(std::bad_alloc, parallel::for_each(kItems, body, false));
    }

    void firstItemsExceptionWins_data() { badAllocReachesTheCaller_data(); }
    void firstItemsExceptionWins() {
        // Every item throws: whichever thread gets there first, item 0's exception arrives.
        auto thrower = [](std::int64_t i) { throw std::runtime_error("item " + std::to_string(i)); };
        QCOMPARE(message_of([&] { parallel::for_each(kItems, thrower); }), std::string("item 0"));
        QCOMPARE(message_of([&] { parallel::for_each_with_thread(kItems, [&](int, std::int64_t i) { thrower(i); }); }),
                 std::string("item 0"));
        // Two items in different threads' ranges throw: the lower one's, as a serial loop gives.
        auto two = [](std::int64_t i) {
            if (i == 3 || i == kItems - 3) throw std::runtime_error("item " + std::to_string(i));
        };
        for (int repeat = 0; repeat < 20; ++repeat) {
            QCOMPARE(message_of([&] { parallel::for_each(kItems, two); }), std::string("item 3"));
            QCOMPARE(message_of([&] { parallel::for_each_dynamic(kItems, two); }), std::string("item 3"));
        }
        // One item throws: its exception, not another type, and the loop stops early.
        std::atomic<std::int64_t> ran{0};
        const std::string m = message_of([&] {
            parallel::for_each(kItems, [&](std::int64_t i) {
                if (i == 0) throw std::runtime_error("item 0");
                ran.fetch_add(1, std::memory_order_relaxed);
            });
        });
        QCOMPARE(m, std::string("item 0"));
        QVERIFY(ran.load() < kItems);
    }

    void loopsWorkAgainAfterAnException_data() { badAllocReachesTheCaller_data(); }
    void loopsWorkAgainAfterAnException() {
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 parallel::for_each(kItems, [](std::int64_t i) {
                                     if (i == kItems - 1) throw std::runtime_error("last");
                                 }));
        std::vector<std::int64_t> out(kItems, -1);
        parallel::for_each(kItems, [&](std::int64_t i) { out[std::size_t(i)] = 2 * i; });
        for (std::int64_t i = 0; i < kItems; ++i) QCOMPARE(out[std::size_t(i)], 2 * i);
        QCOMPARE(parallel::first_index_where(kItems, [](std::int64_t i) { return i >= 4321; }), std::int64_t(4321));
        QCOMPARE(parallel::min_of(kItems, [](std::int64_t i) { return kItems - i; }, kItems), std::int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TstParallel)
#include "tst_parallel.moc"
