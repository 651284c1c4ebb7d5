#pragma once
/// @file Data export (issue 13), out of the window: the plotted coordinates (the current run's
/// embedding, or two features) of every row or of the selected ones with ids and metadata, the
/// cluster labels and the current run's autoencoder, each written atomically on a worker
/// (core/data/export.h, Model::save). Works on the Document; the window says what the plot
/// shows (Plotted) and puts the outcome on screen. No widgets.

#include <QFutureSynchronizer>
#include <QObject>
#include <QString>

#include <functional>

namespace latentscape::ui {

class Document;

class ExportService : public QObject {
    Q_OBJECT
public:
    /// What the plot shows: the current run's embedding, or two features.
    struct Plotted {
        bool embedding = false;
        int xFeature = 0;
        int yFeature = 0;
    };
    /// Which exports there is something for.
    struct Available {
        bool embedding = false;  ///< coordinates on screen
        bool selection = false;  ///< and something selected
        bool clusterLabels = false;
        bool model = false;      ///< the current run has an autoencoder
    };

    explicit ExportService(Document* document, QObject* parent = nullptr);
    /// Waits for the files still being written: an export that has started is finished.
    ~ExportService() override;

    // Each returns an error at once when there is nothing to export, else "" and finished()
    // fires when the file is written (or failed: failed() first).
    QString exportEmbedding(const QString& path, bool selectionOnly, const Plotted& plotted);
    QString exportClusterLabels(const QString& path);
    QString exportAutoencoderModel(const QString& path);
    /// Exports still being written.
    int running() const;

    Available available(const Plotted& plotted) const;
    /// Dimensions of the embedding the plot shows, 0 when it shows features (or nothing).
    int plottedEmbeddingDims(const Plotted& plotted) const;
    /// A file-name tag for what the plot shows: the method ("tSNE", "PCA") or "features".
    QString plottedTag(const Plotted& plotted) const;

signals:
    void statusMessage(const QString& message, int timeoutMs);
    /// Writing `path` failed: `message` says why. finished() follows.
    void failed(const QString& path, const QString& message);
    /// An export ended; `error` is empty on success.
    void finished(const QString& path, const QString& error);

private:
    QString start(const QString& path, const QString& doneMessage, std::function<QString()> work);

    Document* m_document;
    QObject* m_watchers = nullptr;           // parent of the exports' QFutureWatchers
    QFutureSynchronizer<QString> m_exports;  // exports being written: the destructor waits for them
};

}  // namespace latentscape::ui
