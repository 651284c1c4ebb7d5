// The autoencoder as an IterativeMethod for EmbeddingJob: one iteration is one gradient step,
// and the codes the view draws change once per epoch.
#include "jobs/EmbeddingJob.h"

#include "data/dataset.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace latentscape::ui {
namespace {

namespace ae = reduce::autoencoder;

class AutoencoderMethod : public IterativeMethod {
public:
    AutoencoderMethod(std::shared_ptr<const data::Dataset> dataset, const ae::Options& options)
        : m_dataset(std::move(dataset)), m_options(options) {}

    void initialize(const std::function<bool()>& canceled) override {
        m_canceled = canceled;
        const data::Dataset& ds = *m_dataset;
        // 8-bit pixels are seen as pixel / 255 by the network (the model keeps the scale).
        m_x = ds.features.data();
        m_options.input_scale = ae::suggested_input_scale(m_x, ds.n, ds.d, !ds.images.empty());
        if (canceled()) return;
        m_status.emplace(ae::initialize(m_x, ds.n, ds.d, m_options));
        if (canceled()) return;
        refresh();  // the codes of the untrained network: the first frame
    }

    int iteration() const override { return m_status ? clampInt(m_status->step()) : 0; }

    int maxIterations() const override {
        if (!m_status) return std::max(1, m_options.epochs);
        // An early stop ends the run where it is: the job stops at iteration() == maxIterations().
        if (m_status->finished()) return clampInt(m_status->step());
        return clampInt(m_status->max_steps());
    }

    void run(int until) override {
        if (!m_status || m_status->finished()) return;
        // Never past the end of the current epoch: the codes are encoded there, so every epoch
        // appears on screen, however large the chunk the job asks for.
        const std::int64_t perEpoch = std::max<std::int64_t>(1, m_status->steps_per_epoch());
        const std::int64_t epochEnd = (m_status->step() / perEpoch + 1) * perEpoch;
        m_status->run_steps(std::min<std::int64_t>(until, epochEnd));
        if (m_status->epoch() != m_codesEpoch || m_status->finished()) refresh();
    }

    int dims() const override { return m_options.latent_dims; }
    void coordinates(std::vector<float>& out) const override { out.assign(m_codes.begin(), m_codes.end()); }
    double cost() const override { return m_status ? m_status->loss() : std::numeric_limits<double>::quiet_NaN(); }
    QString name() const override {
        return m_options.variational ? QStringLiteral("VAE") : QStringLiteral("Autoencoder");
    }
    QString costName() const override { return QStringLiteral("loss"); }

    std::optional<TrainingProgress> training() const override {
        TrainingProgress p;
        p.maxEpochs = m_options.epochs;
        if (!m_status) return p;
        p.epochs = m_status->history();
        p.maxEpochs = m_status->max_epochs();
        p.stoppedEarly = m_status->stopped_early();
        const std::int64_t perEpoch = std::max<std::int64_t>(1, m_status->steps_per_epoch());
        const std::int64_t into = m_status->step() - std::int64_t(m_status->epoch()) * perEpoch;
        p.epochFraction = m_status->finished() ? 0.0 : double(into) / double(perEpoch);
        p.runningLoss = p.epochFraction > 0.0 ? m_status->loss() : std::numeric_limits<double>::quiet_NaN();
        return p;
    }

    std::shared_ptr<const ae::Model> model() const override { return m_model; }

private:
    static int clampInt(std::int64_t v) { return int(std::min<std::int64_t>(v, INT_MAX)); }

    // Takes the network as it is now and encodes every row with it, in slices so that a cancel
    // is seen within a few milliseconds (a row's code does not depend on the rows encoded with
    // it: the same bits as one Model::encode call). A canceled refresh leaves the old codes.
    void refresh() {
        auto model = std::make_shared<const ae::Model>(m_status->model());
        const std::int64_t n = m_dataset->n, d = m_dataset->d;
        const int dims = model->latent_dims;
        std::vector<float> codes(static_cast<std::size_t>(n * dims));
        constexpr std::int64_t slice = 4096;
        for (std::int64_t r0 = 0; r0 < n; r0 += slice) {
            if (m_canceled && m_canceled()) return;
            const std::int64_t rows = std::min(slice, n - r0);
            const std::vector<float> part = model->encode(m_x + r0 * d, rows);
            std::copy(part.begin(), part.end(), codes.begin() + r0 * dims);
        }
        m_model = std::move(model);
        m_codes = std::move(codes);
        m_codesEpoch = m_status->epoch();
    }

    std::shared_ptr<const data::Dataset> m_dataset;
    ae::Options m_options;
    const float* m_x = nullptr;
    std::optional<ae::Status> m_status;
    std::shared_ptr<const ae::Model> m_model;
    std::vector<float> m_codes;
    std::function<bool()> m_canceled;
    int m_codesEpoch = -1;
};

}  // namespace

std::unique_ptr<IterativeMethod> makeAutoencoderMethod(std::shared_ptr<const data::Dataset> dataset,
                                                       const reduce::autoencoder::Options& options) {
    return std::make_unique<AutoencoderMethod>(std::move(dataset), options);
}

}  // namespace latentscape::ui
