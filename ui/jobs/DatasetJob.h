#pragma once
/// @file The background job that loads a dataset and prepares what the views need from it.
/// Everything here runs on a worker thread; the GUI thread only receives the finished result.

#include "data/dataset.h"
#include "figure/Legend.h"
#include "vtk/ColorMaps.h"

#include <QPromise>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace latentscape::ui {

/// A dataset plus the O(n d) facts about it that the GUI thread must not compute itself.
struct PreparedDataset {
    std::shared_ptr<const data::Dataset> dataset;
    QString displayName;               ///< file name, or a description for generated data
    QString path;                      ///< the file it came from; empty for generated data
    QString sha256;                    ///< of that file's bytes (hex); empty for generated data
    std::vector<double> featureVariance;  ///< one per feature column
    int defaultX = 0;                  ///< feature of highest variance
    int defaultY = 0;                  ///< feature of second-highest variance (= defaultX if d == 1)
    int defaultColorColumn = -1;       ///< label, else first categorical, else first numeric; -1: none
    std::vector<ColumnSummary> columns;  ///< one per metadata column
    double seconds = 0.0;              ///< wall time of loading and preparing
};

struct DatasetJobResult {
    enum class Status {
        Ready,          ///< `prepared` holds the dataset
        Failed,         ///< `message` says why (file, line or offset, cause)
        MissingValues,  ///< a text table has missing cells and no policy was chosen
    };
    Status status = Status::Failed;
    PreparedDataset prepared;
    QString message;
    std::int64_t missingCells = 0;
    std::int64_t missingRows = 0;
};

/// Produces the dataset on the worker: data::load(...), a generator, or an existing dataset.
using DatasetSource = std::function<std::shared_ptr<const data::Dataset>()>;

/// Worker entry point for QtConcurrent::run. Never throws: every error becomes a result whose
/// message names the file. Adds no result when canceled. The file's SHA-256 is computed unless
/// `knownSha256` gives it (a session's loader has just checked it).
void runDatasetJob(QPromise<DatasetJobResult>& promise, DatasetSource source, QString displayName,
                   QString path, QString knownSha256 = {});

/// The preparation step on its own. `canceled` is polled between blocks of rows; returns an
/// empty PreparedDataset (null dataset) when it answered true.
PreparedDataset prepareDataset(std::shared_ptr<const data::Dataset> dataset,
                               const std::function<bool()>& canceled = {});

}  // namespace latentscape::ui
