// LatestTask, the UI's one "newest request wins" primitive, on its own: only the newest task's
// result arrives, on the owner's thread; a canceled or superseded task's never does (even when it
// is already queued for delivery); the token sees the cancel; errors and latentscape::Canceled;
// a queued task is taken back from the pool; the destructor waits and nothing is delivered after
// it; and 1,000 start/cancel cycles leave nothing running and nothing alive.
#include "common/cancel.h"
#include "jobs/LatestTask.h"

#include <QDeadlineTimer>
#include <QSemaphore>
#include <QThread>
#include <QThreadPool>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

using latentscape::ui::CancelToken;
using latentscape::ui::LatestTask;

namespace {

/// A result (and a captured input) that counts its live instances: nothing may be left over.
struct Counted {
    static inline std::atomic<int> live{0};
    int value = 0;
    explicit Counted(int v = 0) : value(v) { ++live; }
    Counted(const Counted& other) : value(other.value) { ++live; }
    Counted(Counted&& other) noexcept : value(other.value) { ++live; }
    Counted& operator=(const Counted&) = default;
    Counted& operator=(Counted&&) noexcept = default;
    ~Counted() { --live; }
};

/// Lets the queued deliveries, if any, arrive.
void settle() {
    QCoreApplication::processEvents();
    QTest::qWait(30);
}

}  // namespace

class TestLatestTask : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        // Two workers at least: some cases hold one while another task runs.
        QThreadPool::globalInstance()->setMaxThreadCount(std::max(2, QThreadPool::globalInstance()->maxThreadCount()));
    }

    void cleanup() { QCOMPARE(Counted::live.load(), 0); }

    void newestOfHundredWins() {
        LatestTask<Counted> task;
        std::vector<int> results;
        std::atomic<int> ran{0};
        for (int i = 0; i < 100; ++i) {
            task.start(
                [i, &ran](const CancelToken&) {
                    ++ran;
                    QThread::usleep(200);
                    return Counted(i);
                },
                [&results](Counted c) { results.push_back(c.value); });
            QVERIFY(task.isRunning());
        }
        QTRY_VERIFY(!task.isRunning());
        task.waitForDone();
        settle();
        QCOMPARE(results, std::vector<int>{99});
        QCOMPARE(task.activeCount(), 0);
        qInfo("%d of the 100 works ran (the others were taken back or saw the cancel first)", ran.load());
    }

    void canceledResultNeverArrives() {
        LatestTask<int> task;
        QSemaphore entered, release;
        bool delivered = false, failed = false;
        task.start(
            [&](const CancelToken&) {
                entered.release();
                release.acquire();
                return 1;
            },
            [&](int) { delivered = true; }, [&](const QString&) { failed = true; });
        QVERIFY(entered.tryAcquire(1, 5000));
        task.cancel();
        QVERIFY(!task.isRunning());
        QCOMPARE(task.activeCount(), 1);  // the work ignores its token: still running
        release.release();
        task.waitForDone();
        QCOMPARE(task.activeCount(), 0);
        settle();
        QVERIFY(!delivered);
        QVERIFY(!failed);
    }

    void supersededResultIsDropped() {
        // The older task finishes after the newer one was delivered: its result is dropped.
        LatestTask<int> task;
        QSemaphore entered, release;
        std::vector<int> results;
        task.start(
            [&](const CancelToken&) {
                entered.release();
                release.acquire();
                return 1;
            },
            [&](int v) { results.push_back(v); });
        QVERIFY(entered.tryAcquire(1, 5000));
        task.start([](const CancelToken&) { return 2; }, [&](int v) { results.push_back(v); });
        QTRY_COMPARE(results, std::vector<int>{2});
        release.release();
        task.waitForDone();
        settle();
        QCOMPARE(results, std::vector<int>{2});
    }

    void queuedStaleResultIsDropped() {
        // The older task's result is already queued for delivery when the newer one starts.
        LatestTask<int> task;
        std::vector<int> results;
        task.start([](const CancelToken&) { return 1; }, [&](int v) { results.push_back(v); });
        task.waitForDone();  // finished: its delivery waits in the event queue
        QVERIFY(task.isRunning());
        QVERIFY(results.empty());  // never delivered from inside waitForDone()
        task.start([](const CancelToken&) { return 2; }, [&](int v) { results.push_back(v); });
        QTRY_VERIFY(!task.isRunning());
        settle();
        QCOMPARE(results, std::vector<int>{2});
    }

    void resultArrivesOnOwnerThread() {
        LatestTask<int> task;
        QThread* workThread = nullptr;
        QThread* resultThread = nullptr;
        task.start(
            [&workThread](const CancelToken&) {
                workThread = QThread::currentThread();
                return 7;
            },
            [&resultThread](int) { resultThread = QThread::currentThread(); });
        QTRY_VERIFY(resultThread != nullptr);
        QCOMPARE(resultThread, QThread::currentThread());
        QVERIFY(workThread != QThread::currentThread());
    }

    void tokenSeesCancel() {
        QVERIFY(!CancelToken().isCanceled());  // a default token never is
        LatestTask<int> task;
        QSemaphore entered;
        std::atomic<bool> sawCancel{false};
        std::atomic<bool> copySawCancel{false};
        task.start(
            [&](const CancelToken& token) {
                const CancelToken copy = token;
                const std::function<bool()> canceled = token;  // as core computations take it
                entered.release();
                const QDeadlineTimer deadline(10000);
                while (!canceled() && !deadline.hasExpired()) QThread::msleep(1);
                sawCancel = token.isCanceled();
                copySawCancel = copy();
                return 0;
            },
            [](int) { QFAIL("a canceled task's result arrived"); });
        QVERIFY(entered.tryAcquire(1, 5000));
        QVERIFY(!sawCancel.load());
        task.cancel();
        task.waitForDone();
        QVERIFY(sawCancel.load());
        QVERIFY(copySawCancel.load());

        // Superseding cancels too.
        sawCancel = false;
        task.start(
            [&](const CancelToken& token) {
                entered.release();
                const QDeadlineTimer deadline(10000);
                while (!token.isCanceled() && !deadline.hasExpired()) QThread::msleep(1);
                sawCancel = token.isCanceled();
                return 0;
            },
            [](int) {});
        QVERIFY(entered.tryAcquire(1, 5000));
        task.start([](const CancelToken&) { return 1; }, [](int) {});
        task.waitForDone();
        QVERIFY(sawCancel.load());
        QTRY_VERIFY(!task.isRunning());
    }

    void exceptionReachesOnError() {
        LatestTask<Counted> task;
        QStringList errors;
        bool delivered = false;
        task.start([](const CancelToken&) -> Counted { throw std::runtime_error("the input is empty"); },
                   [&](Counted) { delivered = true; }, [&](const QString& e) { errors << e; });
        QTRY_VERIFY(!task.isRunning());
        settle();
        QCOMPARE(errors, QStringList{QStringLiteral("the input is empty")});
        QVERIFY(!delivered);

        // Without an error handler the failure is a warning, and the task is over all the same.
        QTest::ignoreMessage(QtWarningMsg, "LatestTask: the work failed: boom");
        task.start([](const CancelToken&) -> Counted { throw std::invalid_argument("boom"); }, [](Counted) {});
        QTRY_VERIFY(!task.isRunning());
    }

    void canceledIsNotAnError() {
        LatestTask<int> task;
        int callbacks = 0;
        // Thrown by the work itself (a core computation whose callback answered true).
        task.start([](const CancelToken&) -> int { throw latentscape::Canceled(); }, [&](int) { ++callbacks; },
                   [&](const QString&) { ++callbacks; });
        QTRY_VERIFY(!task.isRunning());
        settle();
        QCOMPARE(callbacks, 0);

        // Thrown through the token once the owner canceled, the way core does it.
        QSemaphore entered;
        task.start(
            [&](const CancelToken& token) -> int {
                entered.release();
                for (;;) {
                    latentscape::throw_if_canceled(token);
                    QThread::msleep(1);
                }
            },
            [&](int) { ++callbacks; }, [&](const QString&) { ++callbacks; });
        QVERIFY(entered.tryAcquire(1, 5000));
        task.cancel();
        task.waitForDone();
        settle();
        QCOMPARE(callbacks, 0);
    }

    void queuedTaskIsTakenBack() {
        // A pool of one thread, held busy: tasks queue behind it.
        QThreadPool pool;
        pool.setMaxThreadCount(1);
        QSemaphore busy, release;
        pool.start([&] {
            busy.release();
            release.acquire();
        });
        QVERIFY(busy.tryAcquire(1, 5000));

        std::atomic<int> ran{0};
        std::vector<int> results;
        {
            LatestTask<Counted> task;
            for (int i = 0; i < 100; ++i) {
                const Counted input(i);
                task.start(
                    [input, &ran](const CancelToken&) {
                        ++ran;
                        return input;
                    },
                    [&results](Counted c) { results.push_back(c.value); }, {}, &pool);
            }
            // The 99 superseded ones were taken off the queue, their captures released.
            QCOMPARE(task.activeCount(), 1);
            QCOMPARE(Counted::live.load(), 1);
            release.release();
            QTRY_VERIFY(!task.isRunning());
            QCOMPARE(ran.load(), 1);
            QCOMPARE(results, std::vector<int>{99});

            // Canceling a queued task frees it at once, so the owner need not wait for the pool.
            pool.start([&] {
                busy.release();
                release.acquire();
            });
            QVERIFY(busy.tryAcquire(1, 5000));
            task.start([input = Counted(1), &ran](const CancelToken&) { ++ran; return input; }, [](Counted) {}, {},
                       &pool);
            QCOMPARE(task.activeCount(), 1);
            task.cancel();
            QCOMPARE(task.activeCount(), 0);
            QCOMPARE(Counted::live.load(), 0);
            task.waitForDone();  // returns although the pool is still busy

            // Likewise the destructor, with a task queued.
            task.start([input = Counted(2), &ran](const CancelToken&) { ++ran; return input; }, [](Counted) {}, {},
                       &pool);
        }
        QCOMPARE(Counted::live.load(), 0);
        release.release();
        pool.waitForDone();
        QCOMPARE(ran.load(), 1);
    }

    void destructorWaitsForRunningWork() {
        auto task = std::make_unique<LatestTask<Counted>>();
        QSemaphore entered;
        std::atomic<bool> finished{false};
        bool delivered = false;
        task->start(
            [&](const CancelToken&) {
                entered.release();
                QThread::msleep(200);  // ignores its token
                finished = true;
                return Counted(1);
            },
            [&](Counted) { delivered = true; });
        QVERIFY(entered.tryAcquire(1, 5000));
        task.reset();
        QVERIFY(finished.load());  // the destructor waited for the work
        settle();
        QVERIFY(!delivered);
    }

    void noCallbackAfterDestruction() {
        // The result is computed and queued for delivery when the owner goes: it is never delivered,
        // and goes with the owner (Counted::live checks it in cleanup()).
        auto task = std::make_unique<LatestTask<Counted>>();
        bool delivered = false;
        task->start([](const CancelToken&) { return Counted(1); }, [&](Counted) { delivered = true; });
        task->waitForDone();
        QVERIFY(task->isRunning());
        task.reset();
        settle();
        QVERIFY(!delivered);
    }

    void handlerMayStartTheNext() {
        LatestTask<int> task;
        std::vector<int> results;
        std::function<void(int)> onResult = [&](int v) {
            results.push_back(v);
            if (v < 2) task.start([v](const CancelToken&) { return v + 1; }, onResult);
        };
        task.start([](const CancelToken&) { return 0; }, onResult);
        QTRY_COMPARE(results.size(), std::size_t(3));
        QTRY_VERIFY(!task.isRunning());
        QCOMPARE(results, (std::vector<int>{0, 1, 2}));
    }

    void thousandStartCancelCycles() {
        LatestTask<Counted> task;
        int delivered = 0;
        std::atomic<int> ran{0};
        for (int i = 0; i < 1000; ++i) {
            const Counted input(i);
            task.start(
                [input, &ran](const CancelToken&) {
                    ++ran;
                    return Counted(input.value);
                },
                [&delivered](Counted) { ++delivered; });
            QVERIFY(task.isRunning());
            task.cancel();
            QVERIFY(!task.isRunning());
        }
        task.waitForDone();
        QCOMPARE(task.activeCount(), 0);
        // A result posted just before its cancel waits in the event queue until it is dropped.
        settle();
        QCOMPARE(Counted::live.load(), 0);  // no result, no captured input left anywhere
        QCOMPARE(delivered, 0);
        qInfo("%d of the 1,000 canceled works began before their cancel", ran.load());

        // Still usable afterwards.
        task.start([](const CancelToken&) { return Counted(5); }, [&delivered](Counted c) { delivered = c.value; });
        QTRY_COMPARE(delivered, 5);
        QVERIFY(!task.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestLatestTask)
#include "tst_latest_task.moc"
