// UMAP in the live view: reduce::umap::Status driven epoch by epoch like t-SNE, so the layout
// forms on screen; the final coordinates are bit for bit what `latentscape-cli reduce --method
// umap` writes for the same options and seed.
#include "jobs/EmbeddingJob.h"

#include "data/dataset.h"
#include "reduce/umap.h"

#include <limits>

namespace latentscape::ui {
namespace {

class UmapMethod : public IterativeMethod {
public:
    UmapMethod(std::shared_ptr<const data::Dataset> dataset, const reduce::umap::Options& options)
        : m_dataset(std::move(dataset)), m_options(options) {}
    void initialize(const std::function<bool()>& canceled) override {
        m_status.emplace(reduce::umap::initialize(m_dataset->features.data(), m_dataset->n, m_dataset->d, m_options, canceled));
        m_y = m_status->initial_embedding();
    }
    int iteration() const override { return m_status ? m_status->iteration() : 0; }
    int maxIterations() const override { return m_status ? m_status->max_iterations() : 1; }
    void run(int until) override { m_status->run(m_y, until); }
    int dims() const override { return m_options.dims; }
    void coordinates(std::vector<float>& out) const override { out.assign(m_y.begin(), m_y.end()); }
    double cost() const override { return m_status ? m_status->cost(m_y) : std::numeric_limits<double>::quiet_NaN(); }
    QString name() const override { return QStringLiteral("UMAP"); }
    QString costName() const override { return QStringLiteral("cross-entropy"); }

private:
    std::shared_ptr<const data::Dataset> m_dataset;
    reduce::umap::Options m_options;
    std::optional<reduce::umap::Status> m_status;
    std::vector<double> m_y;
};

}  // namespace

std::unique_ptr<IterativeMethod> makeUmapMethod(std::shared_ptr<const data::Dataset> dataset,
                                                const reduce::umap::Options& options) {
    return std::make_unique<UmapMethod>(std::move(dataset), options);
}

}  // namespace latentscape::ui
