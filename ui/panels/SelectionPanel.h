#pragma once
/// @file The "Selection" dock: what the selected rows are. A Find bar selects rows by a metadata
/// value or a regular expression; "Rows" lists the selected rows (sortable, linked both ways with
/// the plot); "Summary" gives their count, their label composition and the features that set them
/// apart from the rest (computed on a worker); "Images" shows the first selected images. The dock
/// never changes the selection itself: it asks for changes through signals, so that the window's
/// one selection model (and its undo history) stays the only owner.

#include "data/dataset.h"
#include "jobs/LatestTask.h"
#include "metrics/contrast.h"
#include "select/selection.h"

#include <QDockWidget>
#include <QString>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QTreeWidget;

namespace latentscape::ui {

class PointInspector;

class CompositionChart;
class SelectionTableModel;
class ThumbnailModel;

class SelectionPanel : public QDockWidget {
    Q_OBJECT
public:
    /// Thumbnails shown on the Images tab (the first selected rows).
    static constexpr int maxThumbnails = 300;
    /// Features listed on the Summary tab.
    static constexpr int contrastFeatures = 10;

    /// What the Summary tab's feature list runs on the worker: by default metrics::contrast with
    /// the top contrastFeatures features. Replaceable for tests (a slow one shows stale results
    /// being dropped). It must not touch the panel: it runs on a worker while the panel goes on.
    using ContrastFunction =
        std::function<std::vector<metrics::FeatureContrast>(const data::Dataset&, const select::Selection&)>;
    /// Asks for a group name (`suggestion` prefilled); nullopt when the user cancels. By default a
    /// QInputDialog; replaceable so that tests and scripted use need no modal dialog.
    using NamePrompt = std::function<std::optional<QString>(QWidget* parent, const QString& suggestion)>;

    explicit SelectionPanel(QWidget* parent = nullptr);
    /// Cancels and waits for the feature contrast (LatestTask's destructor).
    ~SelectionPanel() override;

    /// A new dataset (or none): every tab starts over with nothing selected.
    void setDataset(std::shared_ptr<const data::Dataset> dataset);
    /// The window's selection changed: every tab follows. Cheap on the GUI thread (the table is
    /// lazy, the statistics run on a worker). A selection of another size than the dataset's
    /// counts as empty.
    void setSelection(const select::Selection& selection);
    /// The plot's current point (-1: none): selected and scrolled to in the table (and the
    /// image grid) when it is in the selection, otherwise the table's row selection is cleared.
    /// Emits nothing.
    void setCurrentRow(std::int64_t row);

    /// Runs the Find bar's search as Enter (Replace) or Shift+Enter (Add) does.
    void find(select::Mode mode);

    void setContrastFunction(ContrastFunction function);
    void setGroupNamePrompt(NamePrompt prompt);

    const std::shared_ptr<const data::Dataset>& dataset() const { return m_dataset; }
    const select::Selection& selection() const { return m_selection; }
    /// The newest feature contrast (empty while computing, or when nothing or everything is selected).
    const std::vector<metrics::FeatureContrast>& contrast() const { return m_contrast; }
    bool isComputingContrast() const { return m_contrastTask.isRunning(); }
    /// Milliseconds the last search took (the search runs on the GUI thread).
    double lastFindMilliseconds() const { return m_lastFindMs; }

    // The widgets, for tests and for the window's shortcuts.
    QTabWidget* tabs() const { return m_tabs; }
    PointInspector* inspector() const { return m_inspector; }
    QTableView* table() const { return m_table; }
    SelectionTableModel* tableModel() const { return m_model; }
    QSortFilterProxyModel* proxyModel() const { return m_proxy; }
    QComboBox* findColumnBox() const { return m_findColumn; }
    QLineEdit* findEdit() const { return m_findEdit; }
    QCheckBox* regexBox() const { return m_regex; }
    QPushButton* findButton() const { return m_findButton; }
    QLabel* findStatus() const { return m_findStatus; }
    QPushButton* invertButton() const { return m_invert; }
    QPushButton* clearButton() const { return m_clear; }
    QPushButton* groupButton() const { return m_group; }
    QLabel* countLabel() const { return m_count; }
    QComboBox* compositionColumnBox() const { return m_compositionColumn; }
    CompositionChart* compositionChart() const { return m_chart; }
    QTreeWidget* contrastList() const { return m_contrastList; }
    QListView* imageView() const { return m_images; }
    ThumbnailModel* thumbnailModel() const { return m_thumbnails; }

signals:
    /// The user selected these dataset rows (increasing) in the table or the image grid: the
    /// plot highlights them. Empty when the table's row selection was cleared.
    void tableRowsSelected(const std::vector<std::int64_t>& rows);
    /// The Find bar found `rows` (never empty): combine them with the selection by `mode`.
    void selectionRequested(const latentscape::select::Selection& rows, latentscape::select::Mode mode);
    void invertRequested();
    void clearRequested();
    /// Make the selected rows a group called `name` (trimmed, not empty).
    void groupRequested(const QString& name);
    /// The Summary tab's feature list changed (a result arrived, or it was cleared).
    void contrastChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* makeRowsTab();
    QWidget* makeSummaryTab();
    QWidget* makeImagesTab();
    void fillColumnBoxes();
    void updateSummary();
    void updateComposition();
    void startContrast();
    void showContrast(std::vector<metrics::FeatureContrast> features);
    void showContrastError(const QString& error);
    void showContrastPlaceholder(const QString& note, bool dashes);
    void emitTableRows();
    void emitImageRows();
    void requestGroup();
    QString suggestedGroupName() const;

    std::shared_ptr<const data::Dataset> m_dataset;
    select::Selection m_selection;
    bool m_syncing = false;  // true while the panel itself moves the table's selection
    bool m_columnsSized = false;

    QComboBox* m_findColumn = nullptr;
    QLineEdit* m_findEdit = nullptr;
    QCheckBox* m_regex = nullptr;
    QPushButton* m_findButton = nullptr;
    QLabel* m_findStatus = nullptr;
    double m_lastFindMs = 0.0;
    QPushButton* m_invert = nullptr;
    QPushButton* m_clear = nullptr;
    QPushButton* m_group = nullptr;
    QTabWidget* m_tabs = nullptr;
    PointInspector* m_inspector = nullptr;

    QTableView* m_table = nullptr;
    SelectionTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;

    QLabel* m_count = nullptr;
    QComboBox* m_compositionColumn = nullptr;
    CompositionChart* m_chart = nullptr;
    QLabel* m_contrastNote = nullptr;
    QTreeWidget* m_contrastList = nullptr;
    ContrastFunction m_contrastFunction;
    LatestTask<std::vector<metrics::FeatureContrast>> m_contrastTask;
    std::vector<metrics::FeatureContrast> m_contrast;

    QWidget* m_imagesPage = nullptr;
    QLabel* m_imagesNote = nullptr;
    QListView* m_images = nullptr;
    ThumbnailModel* m_thumbnails = nullptr;

    NamePrompt m_namePrompt;
    std::vector<QString> m_requestedGroups;
};

}  // namespace latentscape::ui
