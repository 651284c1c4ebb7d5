#pragma once
/// @file The features a run's method sees (issue 15): the dataset itself, or a copy with its
/// features preprocessed (RunSpec::preprocess), fitted on the whole dataset. Everything that
/// measures a run against its input (metrics, information loss, reconstruction errors, the
/// scree plot) or feeds it new rows (Add Points to Map, the Decoder's units) goes through here, so
/// that all of them see what the method saw. Computing a copy costs O(n d): call it on a worker.

#include "data/dataset.h"
#include "data/preprocess.h"
#include "jobs/EmbeddingJob.h"

#include <functional>
#include <memory>

namespace latentscape::ui {

/// `dataset` itself for Preprocess::None, else a preprocessed copy without the images (those
/// are for display; a method must not take standardised values for 8-bit pixels). Throws
/// std::invalid_argument (log1p of a value <= -1, naming the column and row).
std::shared_ptr<const data::Dataset> runInput(std::shared_ptr<const data::Dataset> dataset, data::Preprocess kind);

/// The fit of `kind` on the dataset's features (kind None: an empty fit that changes nothing).
data::PreprocessFit runInputFit(const data::Dataset& dataset, data::Preprocess kind);

/// The autoencoder `model`, trained on features preprocessed by `fit`, as a model of the raw
/// features: the fit is folded into its input map (and log1p_input), so it encodes raw rows and
/// decodes into raw units, for the Decoder, Add Points to Map and reconstruction errors alike.
reduce::autoencoder::Model withInputFit(reduce::autoencoder::Model model, const data::PreprocessFit& fit);

/// A method made by `make` on runInput(dataset, kind), which is computed on the worker when the
/// job initializes (a cancel then stops it before the method starts). `name` and `dims` answer
/// until then. An autoencoder's model comes out as a model of the raw features (withInputFit).
std::unique_ptr<IterativeMethod> makePreprocessedMethod(
    std::shared_ptr<const data::Dataset> dataset, data::Preprocess kind, QString name, int dims,
    std::function<std::unique_ptr<IterativeMethod>(std::shared_ptr<const data::Dataset>)> make);

}  // namespace latentscape::ui
