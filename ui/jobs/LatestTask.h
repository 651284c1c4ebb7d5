#pragma once
/// @file LatestTask: the UI's one "newest request wins" primitive. A panel that recomputes
/// something on a worker whenever its input changes (metrics of the embedding on screen, the
/// selection's feature contrast, a clustering) only ever wants the answer to its latest request:
/// - start() cancels the task before it and starts the new one on a thread pool. A superseded
///   task's token reports canceled (so a core computation polling it stops early), a superseded
///   task still queued is taken back from the pool without running, and a result that still
///   arrives is dropped: no stale result ever reaches the owner.
/// - The result (or the error) reaches the owner on the thread that created the LatestTask,
///   through its event loop, only for the newest task and only if it was not canceled.
/// - The destructor cancels and waits for every task it started, superseded ones included: no
///   worker outlives its owner (DESIGN.md section 4) and no callback runs after it is gone.
/// The work gets its inputs by value (copies, shared_ptr to immutable data) and must not touch
/// the owner: it may run while the owner is being destroyed. Core functions take the token as
/// their `canceled` callback; a work that throws latentscape::Canceled was canceled, not wrong.
///
/// Header-only, Qt Core only: no widgets, no moc.

#include "common/cancel.h"

#include <QDebug>
#include <QMetaObject>
#include <QObject>
#include <QRunnable>
#include <QString>
#include <QThread>
#include <QThreadPool>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

namespace latentscape::ui {

template <class T>
class LatestTask;

/// What a task's work polls to learn that it was superseded or canceled. Cheap to copy (one
/// shared_ptr), safe to read from any thread, and callable as a `std::function<bool()>`, the
/// `canceled` callback that core computations take. A default-constructed token is never canceled.
class CancelToken {
public:
    CancelToken() = default;
    bool isCanceled() const { return m_flag && m_flag->load(std::memory_order_acquire); }
    bool operator()() const { return isCanceled(); }
    /// Throws latentscape::Canceled once canceled: a way out of deep work that LatestTask
    /// counts as a cancellation, not an error.
    void throwIfCanceled() const {
        if (isCanceled()) throw Canceled();
    }

private:
    template <class>
    friend class LatestTask;
    explicit CancelToken(std::shared_ptr<const std::atomic<bool>> flag) : m_flag(std::move(flag)) {}
    std::shared_ptr<const std::atomic<bool>> m_flag;
};

namespace detail {

/// One per LatestTask, shared with its runnables (which may outlive it by their last few
/// instructions): counts the runnables still alive, queued or running.
struct LatestTaskShared {
    std::mutex mutex;
    std::condition_variable done;
    int active = 0;
};

/// One per start().
struct LatestTaskRun {
    std::atomic<bool> canceled{false};
    // Guarded by LatestTaskShared::mutex: the runnable began running or is gone. While false,
    // `runnable` is still alive (it cannot be deleted without taking the mutex first).
    bool dequeued = false;
    QRunnable* runnable = nullptr;
    QThreadPool* pool = nullptr;
};

}  // namespace detail

/// Runs the newest of a series of requests on a thread pool and hands its result to the owner.
/// start(), cancel(), isRunning(), activeCount() and waitForDone() are called on the thread that
/// created the LatestTask (the GUI thread); the work runs on the pool. Not copyable, not movable.
template <class T>
class LatestTask {
    static_assert(!std::is_void_v<T> && !std::is_reference_v<T>, "LatestTask<T>: T is the result, by value");

public:
    using Work = std::function<T(const CancelToken&)>;
    using ResultHandler = std::function<void(T)>;
    using ErrorHandler = std::function<void(const QString&)>;

    LatestTask() = default;
    LatestTask(const LatestTask&) = delete;
    LatestTask& operator=(const LatestTask&) = delete;
    /// Cancels the task and waits until every task it started has left its work.
    ~LatestTask() {
        cancel();
        waitForDone();
    }

    /// Cancels the task before (if any) and runs `work` on `pool`. When it returns and no newer
    /// start() or cancel() came meanwhile, `onResult` gets its result on this object's thread.
    /// When it throws a std::exception, `onError` gets its what() (a qWarning when there is no
    /// onError); latentscape::Canceled calls neither. The handlers may call start() or cancel().
    void start(Work work, ResultHandler onResult, ErrorHandler onError = {},
               QThreadPool* pool = QThreadPool::globalInstance()) {
        Q_ASSERT(QThread::currentThread() == m_context.thread());
        Q_ASSERT(work);
        cancel();
        auto run = std::make_shared<detail::LatestTaskRun>();
        run->pool = pool ? pool : QThreadPool::globalInstance();
        auto* runnable = new Runnable(this, m_shared, run, std::move(work));  // deleted by the pool
        run->runnable = runnable;
        m_current = run;
        m_onResult = std::move(onResult);
        m_onError = std::move(onError);
        run->pool->start(runnable);
    }

    /// The task's token reports canceled and its result will not be delivered; a task still
    /// queued is taken off the pool at once. Returns without waiting for a running work.
    void cancel() {
        Q_ASSERT(QThread::currentThread() == m_context.thread());
        if (!m_current) return;
        const std::shared_ptr<detail::LatestTaskRun> run = std::move(m_current);
        m_current.reset();
        m_onResult = nullptr;
        m_onError = nullptr;
        run->canceled.store(true, std::memory_order_release);
        QRunnable* taken = nullptr;
        {
            std::lock_guard lock(m_shared->mutex);
            if (!run->dequeued && run->pool->tryTake(run->runnable)) taken = run->runnable;
        }
        delete taken;  // it never ran: its destructor releases the work and counts it done
    }

    /// A result (or an error) is still to come: from start() until it has been delivered or
    /// the task was canceled.
    bool isRunning() const { return m_current != nullptr; }

    /// The tasks whose work has not finished yet (queued or running), canceled ones included.
    int activeCount() const {
        std::lock_guard lock(m_shared->mutex);
        return m_shared->active;
    }

    /// Blocks until every task started here has left its work, canceled ones included. The
    /// newest result is still delivered through the event loop, never from inside this call.
    void waitForDone() {
        std::unique_lock lock(m_shared->mutex);
        m_shared->done.wait(lock, [this] { return m_shared->active == 0; });
    }

private:
    class Runnable final : public QRunnable {
    public:
        Runnable(LatestTask* owner, std::shared_ptr<detail::LatestTaskShared> shared,
                 std::shared_ptr<detail::LatestTaskRun> run, Work work)
            : m_owner(owner), m_shared(std::move(shared)), m_run(std::move(run)), m_work(std::move(work)) {
            std::lock_guard lock(m_shared->mutex);
            ++m_shared->active;
        }

        // Runs where the pool deletes it (after run()), or in cancel() when it never ran.
        ~Runnable() override {
            m_work = nullptr;  // its captures go before the owner may stop waiting
            std::lock_guard lock(m_shared->mutex);
            m_run->dequeued = true;
            if (--m_shared->active == 0) m_shared->done.notify_all();
        }

        void run() override {
            {
                std::lock_guard lock(m_shared->mutex);
                m_run->dequeued = true;
            }
            if (m_run->canceled.load(std::memory_order_acquire)) return;  // superseded before it began
            std::optional<T> result;
            QString error;
            bool failed = false;
            try {
                result.emplace(m_work(LatestTask::tokenFor(m_run)));
            } catch (const Canceled&) {
                // a cancellation: neither a result nor an error
            } catch (const std::exception& e) {
                failed = true;
                error = QString::fromUtf8(e.what());
            } catch (...) {
                failed = true;
                error = QStringLiteral("unknown error");
            }
            m_work = nullptr;
            if (m_run->canceled.load(std::memory_order_acquire)) return;  // the result is dropped here
            // Queued to the owner's context object: the owner's destructor waits for this
            // runnable before that object goes, and a call still queued then goes with it.
            QMetaObject::invokeMethod(
                &m_owner->m_context,
                [owner = m_owner, run = m_run, result = std::move(result), error = std::move(error), failed]() mutable {
                    owner->finish(run, std::move(result), error, failed);
                },
                Qt::QueuedConnection);
        }

    private:
        LatestTask* m_owner;
        std::shared_ptr<detail::LatestTaskShared> m_shared;
        std::shared_ptr<detail::LatestTaskRun> m_run;
        Work m_work;
    };

    static CancelToken tokenFor(const std::shared_ptr<detail::LatestTaskRun>& run) {
        return CancelToken(std::shared_ptr<const std::atomic<bool>>(run, &run->canceled));
    }

    // On the owner's thread.
    void finish(const std::shared_ptr<detail::LatestTaskRun>& run, std::optional<T> result, const QString& error,
                bool failed) {
        if (run != m_current || run->canceled.load()) return;  // superseded or canceled meanwhile
        m_current.reset();
        ResultHandler onResult = std::exchange(m_onResult, nullptr);
        ErrorHandler onError = std::exchange(m_onError, nullptr);
        // Nothing of `this` is touched after a handler: it may start the next task.
        if (result) {
            if (onResult) onResult(std::move(*result));
        } else if (failed) {
            if (onError) onError(error);
            else qWarning("LatestTask: the work failed: %s", qPrintable(error));
        }
    }

    std::shared_ptr<detail::LatestTaskShared> m_shared = std::make_shared<detail::LatestTaskShared>();
    std::shared_ptr<detail::LatestTaskRun> m_current;  // the newest task, until delivered or canceled
    ResultHandler m_onResult;
    ErrorHandler m_onError;
    // Lives on the owner's thread: deliveries are queued to it. Declared last, destroyed first,
    // taking any delivery still queued with it.
    QObject m_context;
};

}  // namespace latentscape::ui
