#include "jobs/DatasetJob.h"

#include "jobs/ImageFolder.h"
#include "session/Session.h"

#include "common/error.h"

#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <new>

namespace latentscape::ui {
namespace {

// Rows between two cancellation checks: ~1 ms of work for a few hundred features.
constexpr std::int64_t kRowBlock = 4096;

// Per-column variance in two passes (mean first) so that large offsets do not cancel digits.
bool computeVariance(const data::Dataset& ds, std::vector<double>& variance,
                     const std::function<bool()>& canceled) {
    const auto n = ds.n;
    const auto d = std::size_t(ds.d);
    std::vector<double> mean(d, 0.0);
    variance.assign(d, 0.0);
    if (n == 0) return true;
    for (std::int64_t i = 0; i < n; ++i) {
        if (i % kRowBlock == 0 && canceled && canceled()) return false;
        const float* r = ds.row(i);
        for (std::size_t j = 0; j < d; ++j) mean[j] += r[j];
    }
    for (auto& m : mean) m /= double(n);
    for (std::int64_t i = 0; i < n; ++i) {
        if (i % kRowBlock == 0 && canceled && canceled()) return false;
        const float* r = ds.row(i);
        for (std::size_t j = 0; j < d; ++j) {
            const double dev = r[j] - mean[j];
            variance[j] += dev * dev;
        }
    }
    for (auto& v : variance) v /= double(n);
    return true;
}

int defaultColorColumn(const data::Dataset& ds) {
    if (ds.label_column) return int(*ds.label_column);
    for (auto kind : {data::ColumnKind::Categorical, data::ColumnKind::Numeric})
        for (std::size_t i = 0; i < ds.metadata.size(); ++i)
            if (ds.metadata[i].kind == kind) return int(i);
    return -1;
}

}  // namespace

PreparedDataset prepareDataset(std::shared_ptr<const data::Dataset> dataset,
                               const std::function<bool()>& canceled) {
    PreparedDataset p;
    if (!dataset) return p;
    const data::Dataset& ds = *dataset;
    if (!computeVariance(ds, p.featureVariance, canceled)) return {};

    // Highest variance first; ties keep the earlier column, so the choice is deterministic.
    std::vector<int> order(p.featureVariance.size());
    for (std::size_t j = 0; j < order.size(); ++j) order[j] = int(j);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return p.featureVariance[std::size_t(a)] > p.featureVariance[std::size_t(b)]; });
    p.defaultX = order.empty() ? 0 : order[0];
    p.defaultY = order.size() < 2 ? p.defaultX : order[1];

    p.columns.reserve(ds.metadata.size());
    for (const auto& column : ds.metadata) p.columns.push_back(summarizeColumn(column));
    p.defaultColorColumn = defaultColorColumn(ds);
    p.dataset = std::move(dataset);
    return p;
}

namespace {
thread_local DatasetSourceDetails* t_details = nullptr;
}  // namespace

DatasetSourceDetails* currentDatasetSourceDetails() { return t_details; }

DetailedDatasetSource imageFolderSource(const QString& folder, const QString& expectedSha256, const QString& sessionPath) {
    return [folder, expectedSha256, sessionPath](DatasetSourceDetails& details) -> std::shared_ptr<const data::Dataset> {
        ImageFolderResult result = loadImageFolder(folder, {}, details.canceled, details.progress);
        if (!result.dataset) return nullptr;  // canceled
        if (!expectedSha256.isEmpty() && result.sha256 != expectedSha256)
            throw LoadError(QFile::encodeName(folder).toStdString(),
                            "has changed since the session " + sessionPath.toStdString() +
                                " was saved (its images' names, sizes or contents differ): the saved embedding would not "
                                "match its rows");
        details.note = result.skippedMessage();
        details.sha256 = result.sha256;
        return result.dataset;
    };
}

void runDatasetJob(QPromise<DatasetJobResult>& promise, DatasetSource source, QString displayName,
                   QString path, QString knownSha256) {
    runDetailedDatasetJob(promise, [source = std::move(source)](DatasetSourceDetails&) { return source(); },
                          std::move(displayName), std::move(path), std::move(knownSha256));
}

void runDetailedDatasetJob(QPromise<DatasetJobResult>& promise, DetailedDatasetSource source, QString displayName,
                           QString path, QString knownSha256) {
    QElapsedTimer timer;
    timer.start();
    DatasetJobResult result;
    // What a user reads when the error itself does not name the file.
    const QString subject = path.isEmpty() ? displayName : path;
    try {
        DatasetSourceDetails details;
        details.canceled = [&promise] { return promise.isCanceled(); };
        details.progress = [&promise](std::int64_t done, std::int64_t total) {
            // Per mille: QPromise's progress is an int and the setters are thread-safe.
            if (total > 0) promise.setProgressValue(int(std::min<std::int64_t>(1000, done * 1000 / total)));
        };
        promise.setProgressRange(0, 1000);
        t_details = &details;
        std::shared_ptr<const data::Dataset> dataset;
        try {
            dataset = source(details);
        } catch (...) {
            t_details = nullptr;
            throw;
        }
        t_details = nullptr;
        if (promise.isCanceled() || !dataset) return;
        result.prepared = prepareDataset(std::move(dataset), [&promise] { return promise.isCanceled(); });
        if (!result.prepared.dataset) return;  // canceled while preparing
        result.prepared.displayName = displayName;
        result.prepared.path = path;
        result.prepared.note = details.note;
        // For sessions: they name the file and check it has not changed when reopened. A folder
        // of images is hashed by its source (names, sizes and contents of its images).
        if (!details.sha256.isEmpty()) result.prepared.sha256 = details.sha256;
        else if (!path.isEmpty()) result.prepared.sha256 = knownSha256.isEmpty() ? datasetSha256(path) : knownSha256;
        result.prepared.seconds = double(timer.nsecsElapsed()) / 1e9;
        result.status = DatasetJobResult::Status::Ready;
    } catch (const MissingValuesError& e) {
        result.status = DatasetJobResult::Status::MissingValues;
        result.message = QString::fromStdString(e.what());
        result.missingCells = e.missing_cells();
        result.missingRows = e.affected_rows();
    } catch (const LoadError& e) {
        result.message = QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
        result.message = QStringLiteral("%1: not enough memory to load this dataset").arg(subject);
    } catch (const std::exception& e) {
        result.message = QStringLiteral("%1: %2").arg(subject, QString::fromStdString(e.what()));
    } catch (...) {
        result.message = QStringLiteral("%1: unknown error while loading").arg(subject);
    }
    promise.addResult(std::move(result));
}

}  // namespace latentscape::ui
