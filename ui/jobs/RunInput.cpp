#include "jobs/RunInput.h"

#include <limits>
#include <utility>

namespace latentscape::ui {

std::shared_ptr<const data::Dataset> runInput(std::shared_ptr<const data::Dataset> dataset, data::Preprocess kind) {
    if (!dataset || kind == data::Preprocess::None) return dataset;
    data::Dataset copy = data::preprocessed(*dataset, kind);
    copy.images = {};
    return std::make_shared<const data::Dataset>(std::move(copy));
}

data::PreprocessFit runInputFit(const data::Dataset& dataset, data::Preprocess kind) {
    if (kind == data::Preprocess::None) return {};
    return data::fit_preprocess(dataset.features.data(), dataset.n, dataset.d, kind, &dataset.feature_names);
}

reduce::autoencoder::Model withInputFit(reduce::autoencoder::Model model, const data::PreprocessFit& fit) {
    if (fit.kind == data::Preprocess::None) return model;
    const std::size_t d = fit.offset.size();
    if (d != std::size_t(model.input_dims)) throw std::invalid_argument("the preprocessing fit and the model have different column counts");
    // The network saw (y - m) / s with y = (f(x) - offset) / divisor: that is
    // (f(x) - (offset + m * divisor)) / (divisor * s), one map of f(x).
    std::vector<float> mean(d), scale(d);
    for (std::size_t j = 0; j < d; ++j) {
        const double m = model.mean.empty() ? 0.0 : model.mean[j];
        const double s = model.scale.empty() ? 1.0 : model.scale[j];
        mean[j] = float(fit.offset[j] + m * fit.divisor[j]);
        scale[j] = float(fit.divisor[j] * s);
    }
    model.mean = std::move(mean);
    model.scale = std::move(scale);
    model.log1p_input = fit.kind == data::Preprocess::Log1p;
    return model;
}

namespace {

class PreprocessedMethod : public IterativeMethod {
public:
    using Make = std::function<std::unique_ptr<IterativeMethod>(std::shared_ptr<const data::Dataset>)>;
    PreprocessedMethod(std::shared_ptr<const data::Dataset> dataset, data::Preprocess kind, QString name, int dims, Make make)
        : m_dataset(std::move(dataset)), m_kind(kind), m_name(std::move(name)), m_dims(dims), m_make(std::move(make)) {}

    void initialize(const std::function<bool()>& canceled) override {
        m_fit = runInputFit(*m_dataset, m_kind);
        if (canceled()) return;
        data::Dataset copy = *m_dataset;
        copy.images = {};
        data::apply_preprocess(m_fit, copy.features.data(), copy.n);
        m_dataset.reset();  // the raw rows are the document's; only the copy is needed now
        if (canceled()) return;
        m_inner = m_make(std::make_shared<const data::Dataset>(std::move(copy)));
        m_inner->initialize(canceled);
    }
    int iteration() const override { return m_inner ? m_inner->iteration() : 0; }
    int maxIterations() const override { return m_inner ? m_inner->maxIterations() : 1; }
    void run(int until) override {
        if (m_inner) m_inner->run(until);
    }
    int dims() const override { return m_inner ? m_inner->dims() : m_dims; }
    void coordinates(std::vector<float>& out) const override {
        if (m_inner) m_inner->coordinates(out);
        else out.clear();
    }
    double cost() const override { return m_inner ? m_inner->cost() : std::numeric_limits<double>::quiet_NaN(); }
    QString name() const override { return m_name; }
    QString costName() const override { return m_inner ? m_inner->costName() : QStringLiteral("KL"); }
    std::optional<TrainingProgress> training() const override { return m_inner ? m_inner->training() : std::nullopt; }
    std::shared_ptr<const reduce::autoencoder::Model> model() const override {
        const auto trained = m_inner ? m_inner->model() : nullptr;
        if (!trained) return nullptr;
        // A new network comes once per epoch: map that one once, not every snapshot.
        if (trained != m_mappedFrom) {
            m_mappedFrom = trained;
            m_mapped = std::make_shared<const reduce::autoencoder::Model>(withInputFit(*trained, m_fit));
        }
        return m_mapped;
    }

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    data::Preprocess m_kind;
    QString m_name;
    int m_dims;
    Make m_make;
    data::PreprocessFit m_fit;
    std::unique_ptr<IterativeMethod> m_inner;
    mutable std::shared_ptr<const reduce::autoencoder::Model> m_mappedFrom, m_mapped;
};

}  // namespace

std::unique_ptr<IterativeMethod> makePreprocessedMethod(std::shared_ptr<const data::Dataset> dataset, data::Preprocess kind,
                                                        QString name, int dims,
                                                        std::function<std::unique_ptr<IterativeMethod>(std::shared_ptr<const data::Dataset>)> make) {
    return std::make_unique<PreprocessedMethod>(std::move(dataset), kind, std::move(name), dims, std::move(make));
}

}  // namespace latentscape::ui
