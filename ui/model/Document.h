#pragma once
/// @file The document under the window (issue 13): the dataset and where it came from, every run
/// made on it, the derived columns (clusters, groups: part of the dataset's metadata), the
/// selection with its history, and which run the main view shows. Panels and views observe it
/// through its signals and change it only through its methods; it computes nothing and owns no
/// thread. A new dataset starts a new document state (no runs, nothing selected). Qt Core only.

#include "data/load.h"
#include "jobs/DatasetJob.h"
#include "model/Run.h"
#include "select/selection.h"

#include <QObject>

#include <memory>
#include <vector>

namespace latentscape::ui {

class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);

    // The dataset.
    /// New rows: forgets every run and the selection (datasetChanged()).
    void setDataset(PreparedDataset prepared, const data::LoadOptions& options = {});
    /// The same rows with new or changed metadata (a clustering, a group): runs and selection
    /// stay (datasetReplaced()). Refused (false) when the row count differs.
    bool replaceDataset(PreparedDataset prepared);
    const PreparedDataset& prepared() const { return m_prepared; }
    std::shared_ptr<const data::Dataset> dataset() const { return m_prepared.dataset; }
    std::int64_t rows() const { return m_prepared.dataset ? m_prepared.dataset->n : 0; }
    const data::LoadOptions& loadOptions() const { return m_loadOptions; }

    // Runs, in the order they were made.
    /// A new run of `spec`, Running, with no embedding yet; named "<method> <k>" unless `name`
    /// is given. Returns its id.
    int addRun(const RunSpec& spec, const QString& name = {});
    /// A finished run (a reopened session); its id is assigned here. Returns it.
    int addRun(Run run);
    /// A new embedding (a snapshot, or the final one) for run `id`.
    void setRunEmbedding(int id, std::shared_ptr<const std::vector<float>> embedding, int dims, int iterations,
                         double cost = 0.0, const QString& costName = {});
    void setRunModel(int id, std::shared_ptr<const reduce::autoencoder::Model> model);
    void setRunTraining(int id, std::optional<TrainingProgress> training);
    void setRunMetrics(int id, std::optional<EmbeddingMetrics> metrics);
    /// The run ended (or failed, or was canceled) after `seconds`.
    void finishRun(int id, Run::State state, double seconds, const QString& error = {});
    /// Names must not be empty: an empty name is refused (false).
    bool renameRun(int id, const QString& name);
    /// Removes a run; if it was current, the newest remaining run becomes current.
    void removeRun(int id);
    const std::vector<std::shared_ptr<const Run>>& runs() const { return m_runs; }
    /// Null when there is no such run.
    std::shared_ptr<const Run> run(int id) const;
    /// The run the main view shows (-1: none).
    int currentRunId() const { return m_current; }
    std::shared_ptr<const Run> currentRun() const { return run(m_current); }
    void setCurrentRun(int id);

    // The selection: rows, kept across runs; undo/redo.
    const select::Selection& selection() const { return m_selection.current(); }
    const select::History& selectionHistory() const { return m_selection; }
    /// One undoable step; false (no signal) when nothing changes or the size is wrong.
    bool setSelection(const select::Selection& selection);
    bool undoSelection();
    bool redoSelection();
    /// Starts the history over at `selection` (a reopened session).
    void resetSelection(const select::Selection& selection);

signals:
    /// New rows (setDataset): every run and the selection are gone.
    void datasetChanged();
    /// Same rows, new metadata (replaceDataset).
    void datasetReplaced();
    void runAdded(int id);
    /// Anything of the run changed: its embedding, state, model, metrics or name.
    void runChanged(int id);
    void runRemoved(int id);
    void currentRunChanged(int id);
    void selectionChanged();

private:
    /// The run to modify: a fresh copy replaces the shared one, so that readers holding the old
    /// pointer (a worker, a view) keep a consistent value. Null for an unknown id.
    Run* edit(int id);

    PreparedDataset m_prepared;
    data::LoadOptions m_loadOptions;
    std::vector<std::shared_ptr<const Run>> m_runs;
    int m_nextId = 1;
    int m_current = -1;
    select::History m_selection{0, 100};
};

}  // namespace latentscape::ui
