#pragma once
/// @file The "Runs" dock: every run made on the dataset, with its method, options, time and
/// neighbourhood metrics side by side (a table that compares methods), and what can be done with
/// runs: show one, rename (edit its name), delete, re-run as it was or with changed options,
/// compare 2 to 4 in linked views, morph the shown run into another, and colour the points by
/// how much of their neighbourhood a run lost.

#include <QAbstractTableModel>
#include <QDockWidget>

#include <vector>

class QPushButton;
class QTableView;

namespace latentscape::ui {

class Document;

/// The document's runs as a table (one row per run, in the order they were made).
class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Method, Dims, State, Seconds, Trustworthiness, Continuity, KnnRecall, KnnAccuracy, Silhouette, ColumnCount };

    explicit RunsTableModel(Document* document, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    /// Editing the name renames the run.
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    /// The run shown in `row`, -1 if none.
    int runId(int row) const;
    /// The row of run `id`, -1 if none.
    int rowOf(int id) const;

private:
    Document* m_document;
};

class RunsPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit RunsPanel(Document* document, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    RunsTableModel* model() const { return m_model; }
    /// The runs whose rows are selected, in table order.
    std::vector<int> selectedRuns() const;
    /// Selects the rows of `ids` (and makes the first current).
    void selectRuns(const std::vector<int>& ids);

signals:
    /// Run `id` again with its options (a new run).
    void rerunRequested(int id);
    /// Put `id`'s options into the Reduction panel, to change and run.
    void editRequested(int id);
    /// Show `ids` (2 to 4) side by side in linked views.
    void compareRequested(const std::vector<int>& ids);
    /// Animate the shown run into run `id`.
    void morphRequested(int id);
    /// Colour the points by how well run `id` kept each one's neighbourhood.
    void informationLossRequested(int id);
    /// Show the scree plot of PCA run `id` (the table's context menu, "PCA Components…").
    void pcaComponentsRequested(int id);

private:
    void updateButtons();

    Document* m_document;
    RunsTableModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_show = nullptr;
    QPushButton* m_rerun = nullptr;
    QPushButton* m_edit = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_compare = nullptr;
    QPushButton* m_morph = nullptr;
    QPushButton* m_loss = nullptr;
};

}  // namespace latentscape::ui
