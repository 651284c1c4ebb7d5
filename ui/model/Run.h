#pragma once
/// @file One run of a reduction on the document's dataset: what was asked (RunSpec: method, every
/// option, seed), what came out (the embedding, the trained model if any), how long it took and
/// how faithful it is (metrics). Kept by the Document for as long as the dataset is open, so runs
/// can be compared, re-run with changed options, saved and reopened. Qt Core only.

#include "jobs/EmbeddingJob.h"
#include "model/RunMetrics.h"
#include "model/RunSpec.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace latentscape::ui {

struct Run {
    enum class State { Running, Done, Canceled, Failed };

    int id = 0;                 ///< unique within its document, never reused
    QString name;               ///< "t-SNE 1"; the user may rename it
    RunSpec spec;
    State state = State::Running;
    QString error;              ///< why it failed
    /// n x dims, row-major. Shared and immutable: views and workers keep it without copying; a
    /// new snapshot replaces the pointer.
    std::shared_ptr<const std::vector<float>> embedding;
    int dims = 2;
    int iterations = 0;         ///< iterations (or gradient steps) the embedding is at
    double seconds = 0.0;       ///< wall time from start to the end of the run
    double cost = 0.0;          ///< last cost shown (KL for t-SNE, loss for the autoencoder); NaN if none
    QString costName;
    /// The autoencoder's network as of the embedding (null for PCA and t-SNE).
    std::shared_ptr<const reduce::autoencoder::Model> model;
    std::optional<TrainingProgress> training;
    std::optional<EmbeddingMetrics> metrics;  ///< k = 10; computed once the run ends

    bool hasEmbedding() const { return embedding && !embedding->empty(); }
    /// "running", "done", "canceled", "failed".
    QString stateName() const;
};

}  // namespace latentscape::ui
