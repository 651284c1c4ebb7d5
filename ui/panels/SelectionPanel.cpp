#include "panels/SelectionPanel.h"

#include "panels/CompositionChart.h"
#include "panels/PointInspector.h"
#include "panels/RowSearch.h"
#include "panels/SelectionTableModel.h"
#include "panels/ThumbnailModel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>

namespace latentscape::ui {

namespace {

std::optional<QString> askGroupName(QWidget* parent, const QString& suggestion) {
    bool ok = false;
    const QString name = QInputDialog::getText(parent, SelectionPanel::tr("Make Group"),
                                               SelectionPanel::tr("Name of the group (a category of the \"groups\" column):"),
                                               QLineEdit::Normal, suggestion, &ok);
    return ok ? std::optional<QString>(name) : std::nullopt;
}

std::vector<metrics::FeatureContrast> topContrast(const data::Dataset& dataset, const select::Selection& selection) {
    return metrics::contrast(dataset.features.data(), dataset.n, dataset.d, selection, SelectionPanel::contrastFeatures);
}

QString formatEffect(double d) {
    if (std::isinf(d)) return d > 0 ? QStringLiteral("+∞") : QStringLiteral("−∞");
    const QLocale locale;
    return (d > 0 ? QStringLiteral("+") : QString()) + locale.toString(d, 'f', 2);
}

}  // namespace

SelectionPanel::SelectionPanel(QWidget* parent)
    : QDockWidget(tr("Selection"), parent), m_contrastFunction(topContrast), m_namePrompt(askGroupName) {
    setObjectName(QStringLiteral("selectionPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);

    // Find bar.
    auto* findRow = new QHBoxLayout;
    m_findColumn = new QComboBox;
    m_findColumn->setObjectName(QStringLiteral("findColumn"));
    m_findColumn->setToolTip(tr("The column to search"));
    m_findColumn->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_findEdit = new QLineEdit;
    m_findEdit->setObjectName(QStringLiteral("findEdit"));
    m_findEdit->setPlaceholderText(tr("Find a value…"));
    m_findEdit->setClearButtonEnabled(true);
    m_findEdit->setToolTip(tr("Selects the rows whose value in the chosen column matches (case is ignored).\n"
                              "Plain text must equal the whole value, e.g. \"Sneaker\"; numbers also match by value.\n"
                              "A regular expression may match anywhere in the value, e.g. \"shirt|top\";\n"
                              "anchor it as ^...$ to match whole values. A missing value is the empty text.\n"
                              "Enter replaces the selection, Shift+Enter adds to it."));
    m_findEdit->installEventFilter(this);
    m_regex = new QCheckBox(tr("Regular e&xpression"));
    m_regex->setObjectName(QStringLiteral("findRegex"));
    m_regex->setToolTip(tr("Match a regular expression anywhere in the value instead of the whole value"));
    m_findButton = new QPushButton(tr("&Select"));
    m_findButton->setObjectName(QStringLiteral("findButton"));
    m_findButton->setToolTip(tr("Select the matching rows (Shift+click adds them to the selection)"));
    findRow->addWidget(m_findColumn);
    findRow->addWidget(m_findEdit, 1);
    findRow->addWidget(m_regex);
    findRow->addWidget(m_findButton);
    layout->addLayout(findRow);
    m_findStatus = new QLabel;
    m_findStatus->setObjectName(QStringLiteral("findStatus"));
    m_findStatus->setWordWrap(true);
    m_findStatus->hide();
    layout->addWidget(m_findStatus);

    // Whole-selection actions.
    auto* actions = new QHBoxLayout;
    m_invert = new QPushButton(tr("&Invert"));
    m_invert->setObjectName(QStringLiteral("invertSelectionButton"));
    m_invert->setToolTip(tr("Select every row that is not selected, and only those"));
    m_clear = new QPushButton(tr("C&lear"));
    m_clear->setObjectName(QStringLiteral("clearSelectionButton"));
    m_clear->setToolTip(tr("Select nothing"));
    m_group = new QPushButton(tr("Make &Group…"));
    m_group->setObjectName(QStringLiteral("makeGroupButton"));
    m_group->setToolTip(tr("Name the selected rows as a group: a category of the \"groups\" metadata column,\n"
                           "usable for colouring and exported with the data"));
    actions->addWidget(m_invert);
    actions->addWidget(m_clear);
    actions->addWidget(m_group);
    actions->addStretch(1);
    layout->addLayout(actions);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("selectionTabs"));
    m_tabs->addTab(makeRowsTab(), tr("Rows"));
    m_tabs->addTab(makeSummaryTab(), tr("Summary"));
    m_tabs->addTab(makeImagesTab(), tr("Images"));
    m_inspector = new PointInspector;
    m_tabs->addTab(m_inspector, tr("Point"));
    layout->addWidget(m_tabs, 1);
    setWidget(body);

    connect(m_findButton, &QPushButton::clicked, this, [this] {
        find(QApplication::keyboardModifiers() & Qt::ShiftModifier ? select::Mode::Add : select::Mode::Replace);
    });
    connect(m_findEdit, &QLineEdit::textChanged, m_findStatus, &QLabel::hide);
    connect(m_invert, &QPushButton::clicked, this, &SelectionPanel::invertRequested);
    connect(m_clear, &QPushButton::clicked, this, &SelectionPanel::clearRequested);
    connect(m_group, &QPushButton::clicked, this, &SelectionPanel::requestGroup);
    connect(m_compositionColumn, &QComboBox::currentIndexChanged, this, [this] { updateComposition(); });
    setDataset(nullptr);
}

SelectionPanel::~SelectionPanel() = default;  // m_contrastTask cancels and waits

QWidget* SelectionPanel::makeRowsTab() {
    m_model = new SelectionTableModel(this);
    m_proxy = new SelectionSortProxy(this);
    m_proxy->setSourceModel(m_model);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("selectionTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setHighlightSections(false);
    // resizeColumnsToContents measures the rows in view plus this many (Qt's default, 1,000, cost
    // ~40 ms for 35 columns on the first selection of a 100,000-row dataset: the UI stalled).
    m_table->horizontalHeader()->setResizeContentsPrecision(64);
    // No sort column at first: the rows in dataset order. Clicking a header sorts.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    m_table->setToolTip(tr("The selected rows. Click a header to sort; select rows to highlight them in the plot."));
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SelectionPanel::emitTableRows);
    return m_table;
}

QWidget* SelectionPanel::makeSummaryTab() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    m_count = new QLabel;
    m_count->setObjectName(QStringLiteral("selectionCount"));
    QFont bold = m_count->font();
    bold.setBold(true);
    m_count->setFont(bold);
    layout->addWidget(m_count);

    auto* compositionRow = new QHBoxLayout;
    auto* compositionLabel = new QLabel(tr("Composition by"));
    m_compositionColumn = new QComboBox;
    m_compositionColumn->setObjectName(QStringLiteral("compositionColumn"));
    m_compositionColumn->setToolTip(tr("The categorical column the selection is broken down by"));
    compositionLabel->setBuddy(m_compositionColumn);
    compositionRow->addWidget(compositionLabel);
    compositionRow->addWidget(m_compositionColumn);
    compositionRow->addStretch(1);
    layout->addLayout(compositionRow);
    m_chart = new CompositionChart;
    m_chart->setToolTip(tr("Selected rows per category, in the plot's colours"));
    layout->addWidget(m_chart);

    auto* contrastTitle = new QLabel(tr("Features that differ most from the rest"));
    contrastTitle->setFont(bold);
    layout->addSpacing(6);
    layout->addWidget(contrastTitle);
    m_contrastNote = new QLabel;
    m_contrastNote->setObjectName(QStringLiteral("contrastNote"));
    m_contrastNote->setWordWrap(true);
    layout->addWidget(m_contrastNote);
    m_contrastList = new QTreeWidget;
    m_contrastList->setObjectName(QStringLiteral("contrastList"));
    m_contrastList->setRootIsDecorated(false);
    m_contrastList->setUniformRowHeights(true);
    m_contrastList->setSelectionMode(QAbstractItemView::NoSelection);
    m_contrastList->setHeaderLabels({tr("Feature"), tr("Selected"), tr("Rest"), tr("d")});
    m_contrastList->headerItem()->setToolTip(1, tr("Mean of the feature over the selected rows"));
    m_contrastList->headerItem()->setToolTip(2, tr("Mean of the feature over the other rows"));
    m_contrastList->headerItem()->setToolTip(
        3, tr("Effect size (Cohen's d): the difference of the means in pooled standard deviations.\n"
              "About 0.2 is small, 0.5 medium, 0.8 and more large."));
    for (int c = 1; c < 4; ++c) m_contrastList->headerItem()->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    m_contrastList->header()->setStretchLastSection(false);
    m_contrastList->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    for (int c = 1; c < 4; ++c) m_contrastList->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    // Room for the ten rows and no more: the page's stretch takes the rest.
    m_contrastList->setFixedHeight((m_contrastList->fontMetrics().height() + 3) * (contrastFeatures + 1) + 10);
    layout->addWidget(m_contrastList);
    layout->addStretch(1);

    // The page scrolls rather than squeezing the chart when the dock is short.
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("summaryScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    return scroll;
}

QWidget* SelectionPanel::makeImagesTab() {
    m_imagesPage = new QWidget;
    auto* layout = new QVBoxLayout(m_imagesPage);
    layout->setContentsMargins(0, 4, 0, 0);
    m_imagesNote = new QLabel;
    m_imagesNote->setObjectName(QStringLiteral("imagesNote"));
    layout->addWidget(m_imagesNote);
    m_thumbnails = new ThumbnailModel(this);
    m_images = new QListView;
    m_images->setObjectName(QStringLiteral("selectionImages"));
    m_images->setModel(m_thumbnails);
    m_images->setViewMode(QListView::IconMode);
    m_images->setMovement(QListView::Static);
    m_images->setResizeMode(QListView::Adjust);
    m_images->setUniformItemSizes(true);
    m_images->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_images->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_images->setToolTip(tr("The first selected images; click one to highlight it in the plot"));
    layout->addWidget(m_images, 1);
    connect(m_images->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SelectionPanel::emitImageRows);
    return m_imagesPage;
}

void SelectionPanel::setContrastFunction(ContrastFunction function) {
    m_contrastFunction = function ? std::move(function) : ContrastFunction(topContrast);
}

void SelectionPanel::setGroupNamePrompt(NamePrompt prompt) {
    m_namePrompt = prompt ? std::move(prompt) : NamePrompt(askGroupName);
}

void SelectionPanel::setDataset(std::shared_ptr<const data::Dataset> dataset) {
    m_dataset = std::move(dataset);
    m_selection = select::Selection(m_dataset ? m_dataset->n : 0);
    m_requestedGroups.clear();
    m_columnsSized = false;
    m_syncing = true;
    m_model->setDataset(m_dataset);
    m_inspector->setDataset(m_dataset);
    m_thumbnails->setRows(m_dataset, {});
    m_syncing = false;
    const bool images = m_dataset && !m_dataset->images.empty();
    if (images) {
        const QSize size = m_thumbnails->thumbnailSize();
        m_images->setIconSize(size);
        m_images->setGridSize(size + QSize(6, 6));
    }
    m_tabs->setTabVisible(m_tabs->indexOf(m_imagesPage), images);
    fillColumnBoxes();
    m_findStatus->hide();
    const bool any = m_dataset != nullptr;
    for (QWidget* w : std::initializer_list<QWidget*>{m_findColumn, m_findEdit, m_regex, m_findButton, m_invert})
        w->setEnabled(any);
    updateSummary();
}

void SelectionPanel::fillColumnBoxes() {
    const QSignalBlocker findBlocker(m_findColumn);
    const QSignalBlocker compositionBlocker(m_compositionColumn);
    // A dataset replaced by a copy with one more column (a clustering, a new group) keeps the
    // user's choice of columns.
    const QString findBefore = m_findColumn->currentText();
    const QString compositionBefore = m_compositionColumn->currentText();
    m_findColumn->clear();
    m_compositionColumn->clear();
    if (!m_dataset) return;
    const data::Dataset& ds = *m_dataset;
    m_findColumn->addItem(tr("id"), idSearchColumn);
    int categorical = -1;
    for (std::size_t c = 0; c < ds.metadata.size(); ++c) {
        const QString name = QString::fromStdString(ds.metadata[c].name);
        m_findColumn->addItem(name, int(c));
        if (ds.metadata[c].kind == data::ColumnKind::Categorical) {
            m_compositionColumn->addItem(name, int(c));
            if (categorical < 0) categorical = int(c);
        }
    }
    // Search and break down by the label by default: what users look for first.
    const int preferred = ds.label_column ? int(*ds.label_column) : categorical;
    if (preferred >= 0) m_findColumn->setCurrentIndex(m_findColumn->findData(preferred));
    const int compositionDefault =
        ds.label_column && ds.metadata[*ds.label_column].kind == data::ColumnKind::Categorical ? int(*ds.label_column) : categorical;
    if (compositionDefault >= 0) m_compositionColumn->setCurrentIndex(m_compositionColumn->findData(compositionDefault));
    if (const int i = m_findColumn->findText(findBefore); i >= 0) m_findColumn->setCurrentIndex(i);
    if (const int i = m_compositionColumn->findText(compositionBefore); i >= 0) m_compositionColumn->setCurrentIndex(i);
    m_compositionColumn->setEnabled(m_compositionColumn->count() > 1);
}

void SelectionPanel::setSelection(const select::Selection& selection) {
    if (!m_dataset) return;
    const select::Selection next = selection.size() == m_dataset->n ? selection : select::Selection(m_dataset->n);
    if (next == m_selection) return;  // e.g. the same selection sent again: keep the table's scroll and sort
    m_selection = next;
    m_syncing = true;
    m_model->setSelection(m_selection);
    const std::vector<std::int64_t>& rows = m_model->rows();
    m_thumbnails->setRows(m_dataset, std::vector<std::int64_t>(
                                         rows.begin(), rows.begin() + std::min<std::ptrdiff_t>(maxThumbnails, std::ptrdiff_t(rows.size()))));
    m_syncing = false;
    if (!m_columnsSized && !rows.empty()) {
        // Once per dataset, from the first rows shown (Qt looks at the visible rows only).
        m_columnsSized = true;
        m_table->resizeColumnsToContents();
        for (int c = 0; c < m_model->columnCount(); ++c)
            m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 220));
    }
    updateSummary();
}

void SelectionPanel::updateSummary() {
    const QLocale locale;
    const std::int64_t n = m_dataset ? m_dataset->n : 0;
    const std::int64_t count = m_selection.count();
    if (!m_dataset) m_count->setText(tr("No dataset"));
    else m_count->setText(tr("%1 of %2 rows selected").arg(locale.toString(qlonglong(count)), locale.toString(qlonglong(n))));
    m_clear->setEnabled(count > 0);
    m_group->setEnabled(count > 0);
    const auto shown = std::int64_t(m_thumbnails->rowCount());
    m_imagesNote->setText(count == 0 ? tr("No rows selected")
                          : shown < count ? tr("The first %1 of %2 selected images").arg(locale.toString(qlonglong(shown)), locale.toString(qlonglong(count)))
                                          : tr("%1 selected images").arg(locale.toString(qlonglong(count))));
    updateComposition();
    startContrast();
}

void SelectionPanel::updateComposition() {
    const int column = m_compositionColumn->currentData().isValid() ? m_compositionColumn->currentData().toInt() : -1;
    if (!m_dataset || column < 0 || m_selection.count() == 0) {
        m_chart->clear();
        return;
    }
    // One pass over the codes: ~0.1 ms for 70,000 rows, fine on the GUI thread.
    m_chart->setComposition(m_dataset->metadata[std::size_t(column)], m_selection);
}

void SelectionPanel::showContrastPlaceholder(const QString& note, bool dashes) {
    m_contrastNote->setText(note);
    m_contrastNote->setVisible(!note.isEmpty());
    m_contrastList->clear();
    if (dashes) {
        auto* item = new QTreeWidgetItem(m_contrastList);
        for (int c = 0; c < 4; ++c) item->setText(c, QStringLiteral("—"));
    }
}

void SelectionPanel::startContrast() {
    // Every call supersedes the computation before it, finished or not.
    m_contrastTask.cancel();
    const bool hadResult = !m_contrast.empty();
    m_contrast.clear();
    const std::int64_t count = m_selection.count();
    if (!m_dataset || m_dataset->d == 0 || count == 0 || count == m_dataset->n) {
        showContrastPlaceholder(!m_dataset || m_dataset->d == 0 ? QString()
                                : count == 0 ? tr("Select some rows to compare them with the rest.")
                                             : tr("Every row is selected: there is no rest to compare with."),
                                false);
        if (hadResult) emit contrastChanged();
        return;
    }
    showContrastPlaceholder(tr("Computing…"), true);
    if (hadResult) emit contrastChanged();
    // The task owns its inputs (the dataset is shared, the selection a copy) and no pointer to
    // the panel; a stale one's result never arrives (its selection is gone).
    m_contrastTask.start(
        [dataset = m_dataset, selection = m_selection, function = m_contrastFunction](const CancelToken&) {
            return function(*dataset, selection);
        },
        [this](std::vector<metrics::FeatureContrast> features) { showContrast(std::move(features)); },
        [this](const QString& error) { showContrastError(error); });
}

void SelectionPanel::showContrastError(const QString& error) {
    showContrastPlaceholder(tr("Could not compare: %1").arg(error), false);
    emit contrastChanged();
}

void SelectionPanel::showContrast(std::vector<metrics::FeatureContrast> features) {
    m_contrast = std::move(features);
    showContrastPlaceholder(QString(), false);
    const QLocale locale;
    const data::Dataset& ds = *m_dataset;
    for (const metrics::FeatureContrast& f : m_contrast) {
        auto* item = new QTreeWidgetItem(m_contrastList);
        const QString name = std::size_t(f.feature) < ds.feature_names.size()
                                 ? QString::fromStdString(ds.feature_names[std::size_t(f.feature)])
                                 : tr("feature %1").arg(f.feature);
        item->setText(0, name);
        item->setText(1, locale.toString(f.mean_selected, 'g', 4));
        item->setText(2, locale.toString(f.mean_rest, 'g', 4));
        item->setText(3, formatEffect(f.effect_size));
        for (int c = 1; c < 4; ++c) item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
        item->setToolTip(0, tr("%1: mean %2 in the selection, %3 elsewhere; d = %4")
                                .arg(name, locale.toString(f.mean_selected, 'g', 6), locale.toString(f.mean_rest, 'g', 6),
                                     formatEffect(f.effect_size)));
    }
    emit contrastChanged();
}

void SelectionPanel::setCurrentRow(std::int64_t row) {
    if (!m_dataset) return;
    if (row >= 0) m_inspector->setRow(row);
    m_syncing = true;
    const int modelRow = row >= 0 ? m_model->modelRow(row) : -1;
    if (modelRow < 0) {
        m_table->selectionModel()->clearSelection();
    } else {
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(modelRow, 0));
        m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    }
    // The image grid follows too when the row has a thumbnail (the first rows of the selection).
    if (modelRow >= 0 && modelRow < m_thumbnails->rowCount()) {
        const QModelIndex index = m_thumbnails->index(modelRow);
        m_images->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        m_images->scrollTo(index);
    } else {
        m_images->selectionModel()->clearSelection();
    }
    m_syncing = false;
}

void SelectionPanel::emitTableRows() {
    if (m_syncing) return;
    std::vector<std::int64_t> rows;
    const QModelIndexList selected = m_table->selectionModel()->selectedRows();
    rows.reserve(std::size_t(selected.size()));
    for (const QModelIndex& index : selected) rows.push_back(m_model->datasetRow(m_proxy->mapToSource(index).row()));
    std::sort(rows.begin(), rows.end());
    if (rows.size() == 1) m_inspector->setRow(rows.front());
    emit tableRowsSelected(rows);
}

void SelectionPanel::emitImageRows() {
    if (m_syncing) return;
    std::vector<std::int64_t> rows;
    for (const QModelIndex& index : m_images->selectionModel()->selectedIndexes())
        rows.push_back(m_thumbnails->rows()[std::size_t(index.row())]);
    std::sort(rows.begin(), rows.end());
    if (rows.size() == 1) m_inspector->setRow(rows.front());
    emit tableRowsSelected(rows);
}

void SelectionPanel::find(select::Mode mode) {
    if (!m_dataset) return;
    QElapsedTimer timer;
    timer.start();
    const RowSearchResult result =
        findRows(*m_dataset, m_findColumn->currentData().toInt(), m_findEdit->text(), m_regex->isChecked());
    m_lastFindMs = double(timer.nsecsElapsed()) / 1e6;
    if (!result.error.isEmpty()) {
        m_findStatus->setText(result.error);
        m_findStatus->show();
        return;
    }
    const std::int64_t matches = result.rows.count();
    const QLocale locale;
    // No match leaves the selection alone: an empty Replace would silently clear it.
    m_findStatus->setText(matches == 0 ? tr("No row matches.")
                                       : matches == 1 ? tr("1 row matches.")
                                                      : tr("%1 rows match.").arg(locale.toString(qlonglong(matches))));
    m_findStatus->show();
    if (matches > 0) emit selectionRequested(result.rows, mode);
}

bool SelectionPanel::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_findEdit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            find(key->modifiers() & Qt::ShiftModifier ? select::Mode::Add : select::Mode::Replace);
            return true;
        }
    }
    return QDockWidget::eventFilter(watched, event);
}

QString SelectionPanel::suggestedGroupName() const {
    std::vector<QString> taken = m_requestedGroups;
    if (m_dataset)
        if (const auto c = m_dataset->find_metadata("groups"))
            for (const std::string& name : m_dataset->metadata[*c].categories) taken.push_back(QString::fromStdString(name));
    for (int i = 1;; ++i) {
        const QString name = tr("Group %1").arg(i);
        if (std::find_if(taken.begin(), taken.end(), [&](const QString& t) { return t.compare(name, Qt::CaseInsensitive) == 0; }) ==
            taken.end())
            return name;
    }
}

void SelectionPanel::requestGroup() {
    if (!m_dataset || m_selection.count() == 0) return;
    const std::optional<QString> name = m_namePrompt(this, suggestedGroupName());
    if (!name) return;
    const QString trimmed = name->trimmed();
    if (trimmed.isEmpty()) return;
    m_requestedGroups.push_back(trimmed);
    emit groupRequested(trimmed);
}

}  // namespace latentscape::ui
