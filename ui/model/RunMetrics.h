#pragma once
/// @file The neighbourhood figures of a run, as `latentscape-cli metrics` computes them (k = 10):
/// trustworthiness, continuity, k-NN recall and, with a categorical label, k-NN label accuracy and
/// the label's silhouette in the embedding. Exact up to 20,000 points, sampled above. Kept with
/// each run (Run::metrics), shown by the Metrics dock and the Runs table. Qt Core only.

#include "metrics/estimate.h"

#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

struct EmbeddingMetrics {
    int k = 10;
    metrics::Estimate trustworthiness;
    metrics::Estimate continuity;
    metrics::Estimate knnRecall;
    std::optional<metrics::Estimate> knnAccuracy;  ///< with a categorical label
    std::optional<double> silhouette;              ///< of the label, in the embedding
    QString label;
    double seconds = 0.0;
    QString error;
};

/// The figures for an embedding (n x dims floats) of `dataset` (runs on the calling thread).
/// `canceled`, when given, is polled between the figures; once it answers true the computation
/// throws latentscape::Canceled (every other error ends up in EmbeddingMetrics::error).
EmbeddingMetrics computeEmbeddingMetrics(const data::Dataset& dataset, const std::vector<float>& embedding, int dims,
                                         int k = 10, const std::function<bool()>& canceled = {});

}  // namespace latentscape::ui
