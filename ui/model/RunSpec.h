#pragma once
/// @file What a run is asked to do: the method and every one of its options (the core's own
/// Options structs, seed included), with a lossless JSON form for sessions. The Reduction panel
/// fills one in and can be filled from one (re-run with changed options, a reopened session).

#include "data/preprocess.h"
#include "reduce/autoencoder.h"
#include "reduce/pca.h"
#include "reduce/tsne.h"
#include "reduce/umap.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace latentscape::ui {

struct RunSpec {
    /// Imported: an embedding that came with the dataset (an AnnData file's obsm X_umap, X_pca,
    /// ...), not computed here: it cannot be re-run and has no options but where it came from.
    enum class Method { Pca = 0, Tsne = 1, Autoencoder = 2, Umap = 3, Imported = 4 };
    Method method = Method::Tsne;
    /// Output dimensions (2 or 3): the view's, copied into the method's own field.
    int dims = 2;
    reduce::PcaOptions pca;
    reduce::tsne::Options tsne;
    reduce::autoencoder::Options autoencoder;  ///< variational = VAE
    reduce::umap::Options umap;
    /// Applied to the features, on the worker, before the method (issue 15): fitted on the whole
    /// dataset, so the same spec on the same data gives the same input. Not for Imported.
    data::Preprocess preprocess = data::Preprocess::None;
    /// Imported: the key the embedding was stored under ("X_umap") and how many columns it has
    /// there (the run takes the first `dims` of them: X_pca's first 2 of 50).
    QString importedFrom;
    int importedColumns = 0;

    /// "PCA", "t-SNE", "Autoencoder", "VAE", "UMAP", or for an imported embedding the key it came
    /// under ("X_umap"; "Imported" when unknown).
    QString methodName() const;
    /// Whether the method can run here (every one but Imported).
    bool isComputed() const { return method != Method::Imported; }
    /// The method's seed (PCA's is used by its randomized solver only; 0 for Imported).
    std::uint64_t seed() const;
    /// One line for tables and tooltips: "perplexity 30, 1,000 iterations, seed 42".
    QString summary() const;

    /// Every option of the chosen method (the others are left out); seeds as decimal strings so
    /// that 64-bit values survive JSON's doubles.
    QJsonObject toJson() const;
    /// Reads what toJson() wrote; missing fields keep the core's defaults. Throws
    /// std::runtime_error naming the field for a wrong type or an unknown method or enum value.
    static RunSpec fromJson(const QJsonObject& json);

    friend bool operator==(const RunSpec& a, const RunSpec& b) { return a.toJson() == b.toJson(); }
};

}  // namespace latentscape::ui
