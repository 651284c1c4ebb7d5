#include "jobs/EmbeddingJob.h"

#include "data/dataset.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>

namespace latentscape::ui {
namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class TsneMethod : public IterativeMethod {
public:
    TsneMethod(std::shared_ptr<const data::Dataset> dataset, const reduce::tsne::Options& options)
        : m_dataset(std::move(dataset)), m_options(options) {}
    void initialize(const std::function<bool()>& canceled) override {
        m_status.emplace(
            reduce::tsne::initialize(m_dataset->features.data(), m_dataset->n, m_dataset->d, m_options, canceled));
        m_y = m_status->initial_embedding();
    }
    int iteration() const override { return m_status ? m_status->iteration() : 0; }
    int maxIterations() const override { return m_options.iterations; }
    void run(int until) override { m_status->run(m_y, until); }
    int dims() const override { return m_options.dims; }
    void coordinates(std::vector<float>& out) const override { out.assign(m_y.begin(), m_y.end()); }
    double cost() const override {
        return m_status ? m_status->cost(m_y) : std::numeric_limits<double>::quiet_NaN();
    }
    QString name() const override { return QStringLiteral("t-SNE"); }

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    reduce::tsne::Options m_options;
    std::optional<reduce::tsne::Status> m_status;
    std::vector<double> m_y;
};

class PcaMethod : public IterativeMethod {
public:
    PcaMethod(std::shared_ptr<const data::Dataset> dataset, const reduce::PcaOptions& options)
        : m_dataset(std::move(dataset)), m_options(options) {}
    void initialize(const std::function<bool()>&) override { m_result = reduce::pca(*m_dataset, m_options); }
    int iteration() const override { return m_result ? 1 : 0; }
    int maxIterations() const override { return 1; }
    void run(int) override {}
    int dims() const override { return m_options.components; }
    void coordinates(std::vector<float>& out) const override {
        out.assign(m_result->scores.begin(), m_result->scores.end());
    }
    double cost() const override { return std::numeric_limits<double>::quiet_NaN(); }
    QString name() const override { return QStringLiteral("PCA"); }

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    reduce::PcaOptions m_options;
    std::optional<reduce::PcaResult> m_result;
};

}  // namespace

std::unique_ptr<IterativeMethod> makeTsneMethod(std::shared_ptr<const data::Dataset> dataset,
                                                const reduce::tsne::Options& options) {
    return std::make_unique<TsneMethod>(std::move(dataset), options);
}

std::unique_ptr<IterativeMethod> makePcaMethod(std::shared_ptr<const data::Dataset> dataset,
                                               const reduce::PcaOptions& options) {
    return std::make_unique<PcaMethod>(std::move(dataset), options);
}

EmbeddingJob::EmbeddingJob(std::unique_ptr<IterativeMethod> method, QObject* parent)
    : QObject(parent), m_method(std::move(method)), m_name(m_method->name()) {}

EmbeddingJob::~EmbeddingJob() {
    {
        // Under the mutex, so the worker cannot miss the wake-up between its check and its wait.
        std::lock_guard<std::mutex> lock(m_mutex);
        m_cancel = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

void EmbeddingJob::start() {
    m_startTime = now();
    m_thread = std::thread([this] { work(); });
}

void EmbeddingJob::cancel() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_cancel = true;
    }
    m_wake.notify_all();
    // The user sees the run stop now; the worker notices at its next chunk boundary.
    if (!m_reported.exchange(true)) emit finished(true, QString());
}

void EmbeddingJob::setPaused(bool paused) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_paused = paused;
    }
    m_wake.notify_all();
}

std::optional<EmbeddingSnapshot> EmbeddingJob::takeSnapshot() {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::optional<EmbeddingSnapshot> out = std::move(m_latest);
    m_latest.reset();
    return out;
}

void EmbeddingJob::publish(bool final, double cost) {
    EmbeddingSnapshot s;
    s.cost = cost;
    s.iteration = m_method->iteration();
    s.maxIterations = m_method->maxIterations();
    s.dims = m_method->dims();
    s.elapsedSeconds = now() - m_startTime;
    s.final = final;
    m_method->coordinates(s.coordinates);
    s.costName = m_method->costName();
    s.training = m_method->training();
    s.model = m_method->model();
    s.generator = m_method->generator();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_latest = std::move(s);
    }
    emit snapshotReady();
}

void EmbeddingJob::work() {
    // Below the GUI thread's priority, so the interface stays responsive on a machine whose
    // cores this job fills; the OpenMP threads it starts inherit it.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    QString error;
    try {
        m_method->initialize([this] { return m_cancel.load(std::memory_order_relaxed); });
        if (!m_cancel) {
            emit optimisationStarted();
            double lastCost = std::numeric_limits<double>::quiet_NaN();
            double lastCostTime = -1.0;
            int chunk = 1;
            publish(m_method->iteration() >= m_method->maxIterations(), lastCost);
            while (!m_cancel && m_method->iteration() < m_method->maxIterations()) {
                if (m_paused) {
                    std::unique_lock<std::mutex> lock(m_mutex);
                    m_wake.wait(lock, [this] { return !m_paused || m_cancel; });
                    continue;
                }
                const double t0 = now();
                const int before = m_method->iteration();
                m_method->run(before + chunk);
                const double dt = std::max(now() - t0, 1e-6);
                // Size the next chunk so that it takes about chunkSeconds (a method may do fewer
                // iterations than asked: the autoencoder stops at the end of each epoch).
                const double perIteration = dt / std::max(1, m_method->iteration() - before);
                chunk = std::clamp(int(chunkSeconds / perIteration), 1, 100);
                const bool done = m_method->iteration() >= m_method->maxIterations();
                // The cost is not free (it needs Z); twice a second is enough for a status bar.
                if (done || now() - lastCostTime > 0.5) {
                    lastCost = m_method->cost();
                    lastCostTime = now();
                }
                publish(done, lastCost);
            }
        }
    } catch (const latentscape::Canceled&) {
        // Stopped during the set-up: a cancel, not an error.
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
    const bool report = !m_reported.exchange(true);
    m_done = true;
    if (report) emit finished(m_cancel.load(), error);
    emit stopped();
}

}  // namespace latentscape::ui
