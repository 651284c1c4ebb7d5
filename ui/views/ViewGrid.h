#pragma once
/// @file The plot area: one scatter view (the main one, showing the document's current run or two
/// features) or, to compare runs, 2 to 4 views side by side, each showing a run chosen in its
/// header. The views are linked by the window: the same colours, hidden classes, selection and
/// hover highlight in every one. This class lays the views out and keeps each pane's run drawn;
/// it leaves colours and selection to the window (which pushes them to views()).

#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QGridLayout;
class QLabel;

namespace latentscape::ui {

class Document;
class ScatterView;
struct Run;

/// Draws `run`'s embedding in `view` (2-D or 3-D) with the method's axis names. Returns false
/// (and draws nothing) when the run has no embedding of `rows` rows.
bool drawRun(ScatterView& view, const Run& run, std::int64_t rows);

class ViewGrid : public QWidget {
    Q_OBJECT
public:
    static constexpr int maxPanes = 4;

    /// `main` becomes pane 0 (it stays this widget's child for good: moving a GL widget to another
    /// parent costs it its context).
    ViewGrid(ScatterView* main, Document* document, QWidget* parent = nullptr);

    /// 1 (the main view alone) to 4. New panes show the newest runs not shown yet.
    void setPaneCount(int count);
    int paneCount() const { return int(m_panes.size()) + 1; }
    /// Pane `i`'s view; 0 is the main view.
    ScatterView* view(int pane) const;
    /// Every view shown, the main one first.
    std::vector<ScatterView*> views() const;
    /// The run pane `i` shows (pane 0: the document's current run); -1 for none.
    int runOf(int pane) const;
    /// Shows run `id` in pane `i` (pane 0: makes it the document's current run).
    void setRun(int pane, int id);
    /// The pane whose view is `view`, or -1.
    int paneOf(const ScatterView* view) const;

signals:
    /// A compare pane's view was made: the window links it (colours, selection, hover).
    void viewAdded(ScatterView* view);
    /// A pane now shows another run (or its run's embedding changed shape): its points were
    /// replaced, so its colours and visibility must be pushed again.
    void paneRedrawn(int pane);
    void paneCountChanged(int count);

private:
    struct Pane {
        QWidget* box = nullptr;
        QComboBox* runs = nullptr;
        ScatterView* view = nullptr;
        int runId = -1;
        std::shared_ptr<const std::vector<float>> drawn;  // the embedding on screen
    };
    void layoutPanes();
    void refillRunCombos();
    void redraw(Pane& pane, bool force);
    void runChanged(int id);

    Document* m_document;
    ScatterView* m_main;
    QWidget* m_mainBox = nullptr;
    QLabel* m_mainTitle = nullptr;
    QGridLayout* m_grid = nullptr;
    std::vector<std::unique_ptr<Pane>> m_panes;  // panes 1..3
};

}  // namespace latentscape::ui
