#pragma once
/// @file The features a run's method sees (issue 15): the dataset itself, or a copy with its
/// features preprocessed (RunSpec::preprocess), fitted on the whole dataset. Everything that
/// measures a run against its input (metrics, information loss, reconstruction errors, the
/// scree plot) or feeds it new rows (Add Points to Map, the Decoder's units) goes through here, so
/// that all of them see what the method saw. Computing a copy costs O(n d): call it on a worker.

#include "data/dataset.h"
#include "data/preprocess.h"

#include <memory>

namespace latentscape::ui {

/// `dataset` itself for Preprocess::None, else a preprocessed copy. Throws std::invalid_argument
/// (log1p of a value <= -1, naming the column and row).
std::shared_ptr<const data::Dataset> runInput(std::shared_ptr<const data::Dataset> dataset, data::Preprocess kind);

/// The fit of `kind` on the dataset's features (kind None: an empty fit that changes nothing).
data::PreprocessFit runInputFit(const data::Dataset& dataset, data::Preprocess kind);

}  // namespace latentscape::ui
