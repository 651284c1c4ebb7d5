#pragma once
/// @file Sessions and crash recovery (issue 13), out of the window: saving the document and the
/// view into a `.latentscape` file (synchronously, or on a worker), reopening one (read on a
/// worker, newest request wins; the dataset found, checked and loaded; the runs, the derived
/// columns and the selection restored without recomputing), and the per-window autosave with its
/// crash mark. It works on the Document; what it needs of the view (the plot's settings and
/// camera, the loader, a file dialog for a moved dataset) comes through Hooks, so it has no
/// widget and no VTK in it.

#include "data/load.h"
#include "figure/PlotRules.h"
#include "jobs/DatasetJob.h"
#include "jobs/LatestTask.h"
#include "session/Session.h"

#include <QFuture>
#include <QFutureSynchronizer>
#include <QObject>
#include <QSize>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace latentscape::ui {

class Document;

/// What a session keeps of the view besides the document. The window gives it when a session is
/// saved and shows it when one is reopened.
struct SessionView {
    bool plotEmbedding = false;  ///< the plot shows the current run (else two features)
    int xFeature = 0;            ///< the plotted features, when it shows features
    int yFeature = 0;
    PlotStyle style;             ///< colouring (the column's index), hidden classes, fading, background
    double pointSize = 4.0;
    double opacity = 1.0;
    bool perspective = true;
    QSize size;                  ///< the main view's, in logical pixels
    SessionCamera camera;
    /// Document run ids shown by the compare panes 1..3 (empty: the main view alone).
    std::vector<int> paneRuns;
    std::vector<SessionCamera> paneCameras;  ///< one per entry of paneRuns (may be empty: fit them)
};

class SessionService : public QObject {
    Q_OBJECT
public:
    /// What the service asks of the window.
    struct Hooks {
        /// What the view shows now (the plot's settings, its size and camera).
        std::function<SessionView()> captureView;
        /// Shows `view` once the document holds the session's dataset, runs and current run.
        std::function<void(const SessionView&)> restoreView;
        /// Where a moved dataset is now; "" gives up.
        std::function<QString(const QString& missingPath)> locateDataset;
        /// Loads the session's dataset with the window's loader (`source` runs there); once it
        /// is shown the window calls apply(*session).
        std::function<void(DatasetSource source, const QString& dataPath, const data::LoadOptions& options,
                           std::shared_ptr<Session> session)>
            loadDataset;
        /// Whether an autosave must wait (a run or a load in progress).
        std::function<bool()> busy;
    };

    SessionService(Document* document, Hooks hooks, QObject* parent = nullptr);
    /// Waits for the files still being written: no worker outlives the service.
    ~SessionService() override;

    /// The document and the view as a session; nullopt (and `error`) when there is nothing to
    /// save or the dataset was not read from a file.
    std::optional<Session> capture(QString* error) const;
    /// Writes capture() to `path` now. Returns an error message ("" if saved).
    QString save(const QString& path);
    /// The same, written on a worker: saved() fires when done.
    void saveInBackground(const QString& path);

    /// Reads `path` on a worker, then finds its dataset (Hooks::locateDataset if it moved) and
    /// has it loaded (Hooks::loadDataset). Errors go to failed(). A newer open wins.
    void open(const QString& path);
    /// Drops an open still being read (a newer load wins).
    void cancelOpening();
    /// Restores `session` on the document's dataset (just loaded by Hooks::loadDataset): the
    /// runs, the current run, the view (Hooks::restoreView) and the selection; opened() fires.
    void apply(const Session& session);

    /// Crash recovery: returns the autosave a previous run left when it did not close normally
    /// ("" if none), marks this window as running and autosaves every `intervalMs`.
    QString startCrashGuard(int intervalMs);
    /// Stops autosaving; a normal close also deletes this window's autosave and mark.
    void endCrashGuard(bool closedNormally);
    /// Where this window autosaves; "" before startCrashGuard().
    QString autosavePath() const;
    /// Deletes an autosave startCrashGuard() offered (restored or declined) and its mark.
    static void forgetRecovered(const QString& sessionPath);

signals:
    void opened(const QString& path);
    void saved(const QString& path, const QString& error);
    /// Opening or saving `fileName` failed; `message` says why.
    void failed(const QString& fileName, const QString& message);
    void statusMessage(const QString& message, int timeoutMs);

private:
    void continueOpening(std::shared_ptr<Session> session, const QString& path);
    void autosave();

    Document* m_document;
    Hooks m_hooks;
    QString m_openingPath;  // the session being opened or last opened
    LatestTask<std::shared_ptr<Session>> m_read;
    QObject* m_writers = nullptr;           // parents the background saves' watchers
    QFutureSynchronizer<QString> m_writes;  // the destructor waits for them
    QTimer* m_autosaveTimer = nullptr;
    bool m_crashGuard = false;
    QString m_autosaveBase;  // "<folder>/autosave-<pid>-<n>"
    QFuture<void> m_autosaveJob;
};

}  // namespace latentscape::ui
