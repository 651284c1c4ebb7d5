// The GAN as an IterativeMethod for EmbeddingJob: one iteration is one step of both networks; the
// "coordinates" are the generated rows of a fixed set of noise vectors, made at each epoch's end.
#include "jobs/EmbeddingJob.h"

#include "data/dataset.h"

#include <algorithm>
#include <climits>
#include <limits>

namespace latentscape::ui {
namespace {

namespace gan = reduce::gan;
namespace ae = reduce::autoencoder;

class GanMethod : public IterativeMethod {
public:
    GanMethod(std::shared_ptr<const data::Dataset> dataset, const gan::Options& options, std::vector<float> noise)
        : m_dataset(std::move(dataset)), m_options(options), m_noise(std::move(noise)) {}

    void initialize(const std::function<bool()>& canceled) override {
        const data::Dataset& ds = *m_dataset;
        if (!m_options.standardize)
            m_options.input_scale = ae::suggested_input_scale(ds.features.data(), ds.n, ds.d, !ds.images.empty());
        if (canceled()) return;
        m_status.emplace(gan::initialize(ds.features.data(), ds.n, ds.d, m_options));
        refresh();  // the untrained generator's rows: the first frame
    }

    int iteration() const override { return m_status ? clampInt(m_status->step()) : 0; }
    int maxIterations() const override { return m_status ? clampInt(m_status->max_steps()) : std::max(1, m_options.epochs); }

    void run(int until) override {
        if (!m_status || m_status->finished()) return;
        const std::int64_t perEpoch = std::max<std::int64_t>(1, m_status->steps_per_epoch());
        const std::int64_t epochEnd = (m_status->step() / perEpoch + 1) * perEpoch;
        m_status->run_steps(std::min<std::int64_t>(until, epochEnd));
        if (m_status->epoch() != m_epoch || m_status->finished()) refresh();
    }

    int dims() const override { return int(m_dataset->d); }
    void coordinates(std::vector<float>& out) const override { out = m_samples; }
    double cost() const override { return m_status ? m_status->generator_loss() : std::numeric_limits<double>::quiet_NaN(); }
    QString name() const override { return QStringLiteral("GAN"); }
    QString costName() const override { return QStringLiteral("G loss"); }

    std::optional<TrainingProgress> training() const override {
        TrainingProgress p;
        p.trainName = QStringLiteral("generator");
        p.validationName = QStringLiteral("discriminator");
        p.maxEpochs = m_options.epochs;
        if (!m_status) return p;
        for (const gan::EpochRecord& e : m_status->history()) {
            ae::EpochRecord r;
            r.epoch = e.epoch;
            r.train_loss = e.generator_loss;
            r.validation_loss = e.discriminator_loss;
            r.seconds = e.seconds;
            p.epochs.push_back(r);
        }
        const std::int64_t perEpoch = std::max<std::int64_t>(1, m_status->steps_per_epoch());
        const std::int64_t into = m_status->step() - std::int64_t(m_status->epoch()) * perEpoch;
        p.epochFraction = m_status->finished() ? 0.0 : double(into) / double(perEpoch);
        p.runningLoss = p.epochFraction > 0.0 ? m_status->generator_loss() : std::numeric_limits<double>::quiet_NaN();
        return p;
    }

    std::shared_ptr<const gan::Model> generator() const override { return m_model; }

private:
    static int clampInt(std::int64_t v) { return int(std::min<std::int64_t>(v, INT_MAX)); }

    void refresh() {
        auto model = std::make_shared<const gan::Model>(m_status->model());
        const std::int64_t count = std::int64_t(m_noise.size()) / std::max(1, m_options.noise_dims);
        m_samples = count > 0 ? model->generate(m_noise.data(), count) : std::vector<float>();
        m_model = std::move(model);
        m_epoch = m_status->epoch();
    }

    std::shared_ptr<const data::Dataset> m_dataset;
    gan::Options m_options;
    std::vector<float> m_noise;
    std::optional<gan::Status> m_status;
    std::shared_ptr<const gan::Model> m_model;
    std::vector<float> m_samples;
    int m_epoch = -1;
};

}  // namespace

std::unique_ptr<IterativeMethod> makeGanMethod(std::shared_ptr<const data::Dataset> dataset, const reduce::gan::Options& options,
                                               std::vector<float> fixedNoise) {
    return std::make_unique<GanMethod>(std::move(dataset), options, std::move(fixedNoise));
}

}  // namespace latentscape::ui
