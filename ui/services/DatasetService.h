#pragma once
/// @file Dataset loading (issue 13), out of the window: a file (with its load options), the
/// built-in example dataset (or synthetic blobs when it is missing or unreadable), generated data
/// or an existing dataset, each read and prepared on one loader thread (jobs/DatasetJob), the
/// newest request winning; the result replaces the Document's dataset, which remembers where it
/// came from (path and SHA-256 in PreparedDataset, the load options in the Document). Errors and
/// the missing-values question are signals: the window shows the dialogs. No widgets.

#include "data/load.h"
#include "jobs/DatasetJob.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>

namespace latentscape::ui {

class Document;
struct Session;

class DatasetService : public QObject {
    Q_OBJECT
public:
    /// One load: what it reads, and what the window does once the dataset is in the document.
    struct Request {
        QString displayName;  ///< file name, or a description of generated data
        QString path;         ///< the file read; empty for generated data
        data::LoadOptions options;
        bool fallBackToBlobs = false;      ///< the example dataset: show blobs if it fails
        bool autoRun = false;              ///< the window starts a t-SNE once it is shown
        std::shared_ptr<Session> session;  ///< a session being opened: applied once shown
    };
    /// A text table has missing cells and no policy was chosen: the window asks for one and
    /// calls openFile(request.path, options with it).
    struct MissingValues {
        Request request;
        qint64 cells = 0;
        qint64 rows = 0;
        QString message;
    };
    /// Where the document's dataset came from.
    struct Source {
        QString path;    ///< empty for generated data
        QString sha256;  ///< of the file's bytes (hex); empty for generated data
        data::LoadOptions options;
    };

    explicit DatasetService(Document* document, QObject* parent = nullptr);
    /// Cancels the loads and waits for the loader thread: no worker outlives the service.
    ~DatasetService() override;

    /// Reads `path` (any format data::load knows) with `options`.
    void openFile(const QString& path, const data::LoadOptions& options = {});
    /// Reads a folder of images (jobs/ImageFolder: pixels as features, the sub-folder as label),
    /// cancelably, with progress (progressChanged); files that could not be read are skipped and
    /// named in the prepared dataset's note. The folder is the source (Open Recent, sessions).
    void openImageFolder(const QString& folder);
    /// The example dataset (defaultPath()) if present, else synthetic Gaussian blobs (also after
    /// the error when the file is present but cannot be read). `autoRun` travels in the request.
    void openDefault(bool autoRun = false);
    /// 3,000 synthetic points in 6 Gaussian blobs in 50-D.
    void openBlobs(bool autoRun = false);
    /// Whatever `source` produces; it runs on the loader thread (generated data).
    void openSource(DatasetSource source, const QString& displayName);
    /// An existing dataset; its summary is still prepared on the loader thread.
    void openDataset(std::shared_ptr<const data::Dataset> dataset, const QString& displayName = {});
    /// A session's dataset (SessionService::Hooks::loadDataset): `source` reads it and checks its
    /// SHA-256 (the session's, so it is not computed again).
    void openForSession(DatasetSource source, const QString& path, const data::LoadOptions& options,
                        std::shared_ptr<Session> session);

    /// Cancels every load: a queued one ends without running, a running one is ignored.
    void cancel();
    bool isLoading() const { return m_active != nullptr; }
    /// Loader threads: 1, so that loads (each OpenMP-parallel and memory-heavy) never overlap.
    int threadLimit() const { return m_pool.maxThreadCount(); }
    Source source() const;

    /// Puts `derived`, the document's rows with a new or changed metadata column (a clustering, a
    /// group, a run's information loss), in place of its dataset, keeping its name, source and
    /// default features: the runs and the selection stay (Document::replaceDataset). False (and
    /// nothing changes) when the rows are not the document's.
    static bool replaceDerived(Document& document, PreparedDataset derived);

    /// Each of the document's dataset's precomputed embeddings (an AnnData file's obsm: X_umap,
    /// X_pca, ...) with 2 columns or more becomes a finished run (RunSpec::Method::Imported) named
    /// after its key; one of more than 3 columns gives a 2-D run of its first 2 ("X_pca (first 2
    /// of 50 columns)"), one of 3 a 3-D run. The first of them becomes current (unless a run already
    /// is: one started as the dataset came), X_umap first, then X_tsne, then the file's order. Returns how many runs were added. A plain load calls it; a
    /// session does not (it keeps its runs, these among them).
    static int importEmbeddings(Document& document);

    /// The file openDefault() reads; standardPath() unless set otherwise.
    QString defaultPath() const { return m_defaultPath; }
    void setDefaultPath(const QString& path) { m_defaultPath = path; }
    /// Where the set-up installs Fashion-MNIST's test images (labels found next to them).
    static QString standardPath();

signals:
    /// A load started (the newest request); ended() follows when it is over, whatever the outcome.
    void started(const QString& displayName);
    void ended();
    /// The document holds the dataset `request` asked for (its datasetChanged() has fired).
    void loaded(const DatasetService::Request& request);
    /// Loading `displayName` failed; `message` names the file, the line or offset and the cause.
    /// The document is unchanged.
    void failed(const QString& displayName, const QString& message);
    void missingValues(const DatasetService::MissingValues& question);
    /// How far the newest load is, in per mille, for sources that know (an image folder).
    void progressChanged(int perMille);

private:
    using Watcher = QFutureWatcher<DatasetJobResult>;
    void start(DatasetSource source, Request request);
    void start(DetailedDatasetSource source, Request request);
    void finish(Watcher* watcher, const Request& request);

    Document* m_document;
    QString m_defaultPath;
    QThreadPool m_pool;
    Watcher* m_active = nullptr;  // the newest load, until it ends
};

}  // namespace latentscape::ui
