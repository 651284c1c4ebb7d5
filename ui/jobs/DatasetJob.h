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
    /// What the user should know about a load that succeeded ("2 files could not be read and were
    /// skipped: ..." for an image folder); "" when nothing.
    QString note;
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

/// What a source may tell besides the dataset (DetailedDatasetSource).
struct DatasetSourceDetails {
    /// Polled between items; true once the job is canceled (return anything: it is dropped).
    std::function<bool()> canceled;
    /// Progress of the source's own work (items done, items in all), from any thread.
    std::function<void(std::int64_t, std::int64_t)> progress;
    QString note;    ///< set by the source: becomes PreparedDataset::note
    QString sha256;  ///< set by the source when it hashes the input itself (an image folder)
};

/// A source that can be canceled mid-way, report progress and a note (an image folder's skipped
/// files) and its own content hash.
using DetailedDatasetSource = std::function<std::shared_ptr<const data::Dataset>(DatasetSourceDetails&)>;

/// An image folder (jobs/ImageFolder, default options) as a source: its skipped files become the
/// note, its hash the SHA-256. `expectedSha256`, when given, must match (else a LoadError saying
/// the folder changed since `sessionPath` was saved).
DetailedDatasetSource imageFolderSource(const QString& folder, const QString& expectedSha256 = {},
                                        const QString& sessionPath = {});

/// The details of the dataset job running on this thread, or nullptr: a plain DatasetSource (a
/// session's loader, say) reads its cancellation and reports progress, note and hash through them.
DatasetSourceDetails* currentDatasetSourceDetails();

/// Worker entry point for QtConcurrent::run. Never throws: every error becomes a result whose
/// message names the file. Adds no result when canceled. The file's SHA-256 is computed unless
/// `knownSha256` gives it (a session's loader has just checked it).
void runDatasetJob(QPromise<DatasetJobResult>& promise, DatasetSource source, QString displayName,
                   QString path, QString knownSha256 = {});
/// The same for a detailed source: the promise's progress follows the source's, and a path that
/// is a folder is hashed by the source (DatasetSourceDetails::sha256), not read as a file.
void runDetailedDatasetJob(QPromise<DatasetJobResult>& promise, DetailedDatasetSource source, QString displayName,
                           QString path, QString knownSha256 = {});

/// The preparation step on its own. `canceled` is polled between blocks of rows; returns an
/// empty PreparedDataset (null dataset) when it answered true.
PreparedDataset prepareDataset(std::shared_ptr<const data::Dataset> dataset,
                               const std::function<bool()>& canceled = {});

}  // namespace latentscape::ui
