#include "panels/RunsPanel.h"

#include "model/Document.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace latentscape::ui {

RunsTableModel::RunsTableModel(Document* document, QObject* parent) : QAbstractTableModel(parent), m_document(document) {
    // The table is small (runs, not rows): a reset on every change keeps it simple and exact.
    const auto reset = [this] {
        beginResetModel();
        endResetModel();
    };
    connect(document, &Document::runAdded, this, reset);
    connect(document, &Document::runRemoved, this, reset);
    connect(document, &Document::datasetChanged, this, reset);
    connect(document, &Document::currentRunChanged, this, [this] {
        if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    });
    connect(document, &Document::runChanged, this, [this](int id) {
        const int row = rowOf(id);
        if (row >= 0) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_document->runs().size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

int RunsTableModel::runId(int row) const {
    const auto& runs = m_document->runs();
    return row >= 0 && std::size_t(row) < runs.size() ? runs[std::size_t(row)]->id : -1;
}

int RunsTableModel::rowOf(int id) const {
    const auto& runs = m_document->runs();
    for (std::size_t i = 0; i < runs.size(); ++i)
        if (runs[i]->id == id) return int(i);
    return -1;
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
            case Name: return tr("Run");
            case Method: return tr("Method");
            case Dims: return tr("Dims");
            case State: return tr("State");
            case Seconds: return tr("Time (s)");
            case Trustworthiness: return tr("Trust.");
            case Continuity: return tr("Cont.");
            case KnnRecall: return tr("kNN recall");
            case KnnAccuracy: return tr("kNN acc.");
            case Silhouette: return tr("Silhouette");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case Trustworthiness: return tr("Trustworthiness (k = 10): are the embedding's neighbours real neighbours? 1 = all are");
            case Continuity: return tr("Continuity (k = 10): are the real neighbours kept in the embedding? 1 = all are");
            case KnnRecall: return tr("Share of each point's 10 nearest neighbours in the data that are also among its 10 nearest in the embedding");
            case KnnAccuracy: return tr("Leave-one-out 10-NN label accuracy in the embedding");
            case Silhouette: return tr("Silhouette of the label in the embedding (-1 to 1)");
            case Seconds: return tr("Wall time of the run");
            default: return {};
        }
    }
    return {};
}

Qt::ItemFlags RunsTableModel::flags(const QModelIndex& index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.column() == Name) f |= Qt::ItemIsEditable;
    return f;
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    const auto& runs = m_document->runs();
    if (!index.isValid() || std::size_t(index.row()) >= runs.size()) return {};
    const Run& run = *runs[std::size_t(index.row())];
    const QLocale locale;
    const auto figure = [&](std::optional<double> v) -> QVariant {
        if (!v) return run.state == Run::State::Done && !run.metrics ? QVariant(tr("…")) : QVariant();
        return locale.toString(*v, 'f', 3);
    };
    if (role == Qt::DisplayRole || role == Qt::EditRole) {
        switch (index.column()) {
            case Name: return run.name;
            case Method: return run.spec.methodName();
            case Dims: return run.dims;
            case State: return run.stateName();
            case Seconds:
                // An imported embedding (it came with the data) took no time here: no figure.
                if (run.state == Run::State::Running) return QVariant();
                if (run.spec.method == RunSpec::Method::Imported) return QStringLiteral("\u2014");
                return locale.toString(run.seconds, 'f', 2);
            case Trustworthiness: return figure(run.metrics ? std::optional(run.metrics->trustworthiness.value) : std::nullopt);
            case Continuity: return figure(run.metrics ? std::optional(run.metrics->continuity.value) : std::nullopt);
            case KnnRecall: return figure(run.metrics ? std::optional(run.metrics->knnRecall.value) : std::nullopt);
            case KnnAccuracy:
                return run.metrics && run.metrics->knnAccuracy ? figure(run.metrics->knnAccuracy->value) : figure(std::nullopt);
            case Silhouette: return run.metrics ? figure(run.metrics->silhouette) : figure(std::nullopt);
        }
    }
    if (role == Qt::ToolTipRole) {
        QString tip = QStringLiteral("<b>%1</b><br>%2: %3").arg(run.name.toHtmlEscaped(), run.spec.methodName(), run.spec.summary());
        if (!run.error.isEmpty()) tip += QStringLiteral("<br>") + run.error.toHtmlEscaped();
        if (run.metrics && run.metrics->trustworthiness.sampled) tip += tr("<br>Metrics estimated on a sample of points");
        return tip;
    }
    if (role == Qt::FontRole && run.id == m_document->currentRunId()) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Dims) return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

bool RunsTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || index.column() != Name) return false;
    return m_document->renameRun(runId(index.row()), value.toString());
}

RunsPanel::RunsPanel(Document* document, QWidget* parent) : QDockWidget(tr("Runs"), parent), m_document(document) {
    setObjectName(QStringLiteral("runsPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    m_model = new RunsTableModel(document, this);
    m_table = new QTableView(body);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Double-click a run to show it; F2 renames it; select 2 to 4 runs and press Compare"));
    layout->addWidget(m_table, 1);

    auto* buttons = new QGridLayout;
    const auto button = [&](const QString& text, const QString& name, const QString& tip, int row, int column) {
        auto* b = new QPushButton(text, body);
        b->setObjectName(name);
        b->setToolTip(tip);
        buttons->addWidget(b, row, column);
        return b;
    };
    m_show = button(tr("Show"), QStringLiteral("showRunButton"), tr("Show the selected run in the main view"), 0, 0);
    m_compare = button(tr("Compare"), QStringLiteral("compareRunsButton"),
                       tr("Show the selected runs (2 to 4) side by side, in linked views"), 0, 1);
    m_morph = button(tr("Morph To"), QStringLiteral("morphRunButton"),
                     tr("Animate the shown run into the selected one (aligned by Procrustes), to see where points move"), 0, 2);
    m_loss = button(tr("Colour by Loss"), QStringLiteral("lossRunButton"),
                    tr("Colour the points by how well the selected run kept each one's 10 nearest neighbours "
                       "(per-point trustworthiness and kNN recall; reconstruction error for PCA and autoencoders)"),
                    0, 3);
    m_rerun = button(tr("Re-run"), QStringLiteral("rerunButton"), tr("Run the selected run's method again with its options"), 1, 0);
    m_edit = button(tr("Edit Options"), QStringLiteral("editRunButton"),
                    tr("Put the selected run's options into the Reduction panel, to change them and run"), 1, 1);
    m_delete = button(tr("Delete"), QStringLiteral("deleteRunButton"), tr("Forget the selected runs"), 1, 2);
    layout->addLayout(buttons);
    setWidget(body);

    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.column() != RunsTableModel::Name) m_document->setCurrentRun(m_model->runId(index.row()));
    });
    connect(m_show, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRuns();
        if (!ids.empty()) m_document->setCurrentRun(ids.front());
    });
    connect(m_rerun, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRuns();
        if (!ids.empty()) emit rerunRequested(ids.front());
    });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRuns();
        if (!ids.empty()) emit editRequested(ids.front());
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        for (int id : selectedRuns()) m_document->removeRun(id);
    });
    connect(m_compare, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRuns();
        if (ids.size() >= 2) emit compareRequested(ids);
    });
    connect(m_morph, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRuns();
        if (!ids.empty()) emit morphRequested(ids.front());
    });
    connect(m_loss, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRuns();
        if (!ids.empty()) emit informationLossRequested(ids.front());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RunsPanel::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RunsPanel::updateButtons);
    // The context menu: what only some runs offer.
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const QModelIndex index = m_table->indexAt(at);
        const int id = index.isValid() ? m_model->runId(index.row()) : -1;
        const auto run = m_document->run(id);
        QMenu menu(this);
        QAction* pca = menu.addAction(tr("PCA &Components…"), this, [this, id] { emit pcaComponentsRequested(id); });
        pca->setObjectName(QStringLiteral("pcaComponentsMenuAction"));
        pca->setEnabled(run && run->spec.method == RunSpec::Method::Pca && run->hasEmbedding());
        pca->setStatusTip(tr("The variance each principal component explains (a scree plot)"));
        menu.exec(m_table->viewport()->mapToGlobal(at));
    });
    // A new run is selected in the table, so its row is the one the buttons act on.
    connect(document, &Document::runAdded, this, [this](int id) { selectRuns({id}); });
    updateButtons();
}

std::vector<int> RunsPanel::selectedRuns() const {
    std::vector<int> ids;
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& index : rows)
        if (const int id = m_model->runId(index.row()); id >= 0) ids.push_back(id);
    return ids;
}

void RunsPanel::selectRuns(const std::vector<int>& ids) {
    QItemSelection selection;
    for (int id : ids) {
        const int row = m_model->rowOf(id);
        if (row >= 0) selection.select(m_model->index(row, 0), m_model->index(row, RunsTableModel::ColumnCount - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!ids.empty() && m_model->rowOf(ids.front()) >= 0)
        m_table->selectionModel()->setCurrentIndex(m_model->index(m_model->rowOf(ids.front()), 0), QItemSelectionModel::NoUpdate);
    updateButtons();
}

void RunsPanel::updateButtons() {
    const auto ids = selectedRuns();
    const auto first = ids.empty() ? nullptr : m_document->run(ids.front());
    const bool finished = first && first->hasEmbedding() && first->state != Run::State::Running;
    m_show->setEnabled(first && first->hasEmbedding());
    m_rerun->setEnabled(bool(first));
    m_edit->setEnabled(bool(first));
    m_delete->setEnabled(!ids.empty());
    m_compare->setEnabled(ids.size() >= 2 && ids.size() <= 4);
    const auto current = m_document->currentRun();
    m_morph->setEnabled(finished && current && current->hasEmbedding() && current->id != first->id);
    m_loss->setEnabled(finished);
}

}  // namespace latentscape::ui
