#include "views/ViewGrid.h"

#include "model/Document.h"
#include "vtk/ScatterView.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>

namespace latentscape::ui {

bool drawRun(ScatterView& view, const Run& run, std::int64_t rows) {
    if (!run.hasEmbedding() || rows <= 0 || (run.dims != 2 && run.dims != 3)) return false;
    const auto n = std::size_t(rows);
    const std::vector<float>& e = *run.embedding;
    if (e.size() != n * std::size_t(run.dims)) return false;
    if (run.dims == 2) {
        std::vector<float> x(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = e[2 * i];
            y[i] = e[2 * i + 1];
        }
        view.setPoints(x.data(), y.data(), n);
        const QString method = run.spec.methodName();
        view.setAxisLabels(QObject::tr("%1 1").arg(method), QObject::tr("%1 2").arg(method));
    } else {
        view.setPoints(e.data(), n);
    }
    return true;
}

namespace {

QComboBox* makeRunCombo(QWidget* parent, const QString& name) {
    auto* combo = new QComboBox(parent);
    combo->setObjectName(name);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    combo->setToolTip(QObject::tr("The run this view shows"));
    return combo;
}

QWidget* paneBox(QWidget* parent, QComboBox* combo, QWidget* view) {
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(combo, 0, Qt::AlignLeft);
    layout->addWidget(view, 1);
    return box;
}

}  // namespace

ViewGrid::ViewGrid(ScatterView* main, Document* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_main(main) {
    m_grid = new QGridLayout(this);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(4);
    auto* mainCombo = makeRunCombo(this, QStringLiteral("paneRunCombo0"));
    m_mainBox = paneBox(this, mainCombo, main);
    mainCombo->hide();  // shown while comparing
    m_grid->addWidget(m_mainBox, 0, 0);
    connect(mainCombo, &QComboBox::activated, this, [this, mainCombo](int index) {
        m_document->setCurrentRun(mainCombo->itemData(index).toInt());
    });

    connect(document, &Document::runAdded, this, &ViewGrid::refillRunCombos);
    connect(document, &Document::runRemoved, this, [this](int id) {
        for (auto& pane : m_panes)
            if (pane->runId == id) {
                pane->runId = -1;
                redraw(*pane, true);
            }
        refillRunCombos();
    });
    connect(document, &Document::runChanged, this, &ViewGrid::runChanged);
    connect(document, &Document::currentRunChanged, this, &ViewGrid::refillRunCombos);
    connect(document, &Document::datasetChanged, this, [this] {
        for (auto& pane : m_panes) {
            pane->runId = -1;
            redraw(*pane, true);
        }
        refillRunCombos();
    });
}

ScatterView* ViewGrid::view(int pane) const {
    if (pane == 0) return m_main;
    if (pane < 0 || pane > int(m_panes.size())) return nullptr;
    return m_panes[std::size_t(pane - 1)]->view;
}

std::vector<ScatterView*> ViewGrid::views() const {
    std::vector<ScatterView*> all{m_main};
    for (const auto& pane : m_panes) all.push_back(pane->view);
    return all;
}

int ViewGrid::paneOf(const ScatterView* view) const {
    const auto all = views();
    const auto it = std::find(all.begin(), all.end(), view);
    return it == all.end() ? -1 : int(it - all.begin());
}

int ViewGrid::runOf(int pane) const {
    if (pane == 0) return m_document->currentRunId();
    if (pane < 0 || pane > int(m_panes.size())) return -1;
    return m_panes[std::size_t(pane - 1)]->runId;
}

void ViewGrid::setRun(int pane, int id) {
    if (pane == 0) {
        m_document->setCurrentRun(id);
        return;
    }
    if (pane < 0 || pane > int(m_panes.size())) return;
    Pane& p = *m_panes[std::size_t(pane - 1)];
    p.runId = m_document->run(id) ? id : -1;
    redraw(p, true);
    refillRunCombos();
}

void ViewGrid::setPaneCount(int count) {
    count = std::clamp(count, 1, maxPanes);
    if (count == paneCount()) return;
    while (paneCount() > count) {
        std::unique_ptr<Pane> pane = std::move(m_panes.back());
        m_panes.pop_back();
        pane->box->deleteLater();  // its view's GL context goes with it
    }
    while (paneCount() < count) {
        auto pane = std::make_unique<Pane>();
        const int index = paneCount();
        pane->runs = makeRunCombo(this, QStringLiteral("paneRunCombo%1").arg(index));
        pane->view = new ScatterView(this);
        pane->view->setObjectName(QStringLiteral("compareView%1").arg(index));
        pane->view->setAxisTicks(m_main->axisTicks());  // View > Axis Ticks holds for every pane
        pane->box = paneBox(this, pane->runs, pane->view);
        // The newest run that no pane shows yet.
        std::vector<int> shown{m_document->currentRunId()};
        for (const auto& p : m_panes) shown.push_back(p->runId);
        const auto& runs = m_document->runs();
        for (auto it = runs.rbegin(); it != runs.rend(); ++it)
            if (std::find(shown.begin(), shown.end(), (*it)->id) == shown.end()) {
                pane->runId = (*it)->id;
                break;
            }
        Pane* raw = pane.get();
        connect(pane->runs, &QComboBox::activated, this, [this, raw](int i) {
            raw->runId = raw->runs->itemData(i).toInt();
            redraw(*raw, true);
        });
        m_panes.push_back(std::move(pane));
        emit viewAdded(raw->view);
        redraw(*raw, true);
    }
    m_mainBox->findChild<QComboBox*>(QStringLiteral("paneRunCombo0"))->setVisible(count > 1);
    layoutPanes();
    refillRunCombos();
    emit paneCountChanged(count);
}

void ViewGrid::layoutPanes() {
    // 2 and 3: side by side in one row; 4: two rows of two.
    const int count = paneCount();
    const int columns = count == 4 ? 2 : count;
    for (int i = 0; i < count; ++i) {
        QWidget* box = i == 0 ? m_mainBox : m_panes[std::size_t(i - 1)]->box;
        m_grid->removeWidget(box);
        m_grid->addWidget(box, i / columns, i % columns);
    }
    for (int r = 0; r < 2; ++r) m_grid->setRowStretch(r, r == 0 || count == 4 ? 1 : 0);
    for (int c = 0; c < 3; ++c) m_grid->setColumnStretch(c, c < columns ? 1 : 0);
}

void ViewGrid::refillRunCombos() {
    const auto fill = [this](QComboBox* combo, int selected) {
        const QSignalBlocker block(combo);
        combo->clear();
        for (const auto& run : m_document->runs()) {
            combo->addItem(run->name, run->id);
            if (run->id == selected) combo->setCurrentIndex(combo->count() - 1);
        }
        if (selected < 0 || !m_document->run(selected)) {
            combo->addItem(tr("(no run)"), -1);
            combo->setCurrentIndex(combo->count() - 1);
        }
    };
    fill(m_mainBox->findChild<QComboBox*>(QStringLiteral("paneRunCombo0")), m_document->currentRunId());
    for (auto& pane : m_panes) fill(pane->runs, pane->runId);
}

void ViewGrid::redraw(Pane& pane, bool force) {
    const auto run = m_document->run(pane.runId);
    if (!run || !run->hasEmbedding()) {
        if (pane.drawn || force) {
            pane.view->setPoints(static_cast<const float*>(nullptr), static_cast<const float*>(nullptr), 0);
            pane.view->setAxisLabels({}, {});
            pane.drawn.reset();
        }
        return;
    }
    if (!force && run->embedding == pane.drawn) return;
    const bool fit = force || !pane.drawn || pane.view->isCameraFitted();
    if (!drawRun(*pane.view, *run, m_document->rows())) return;
    pane.drawn = run->embedding;
    if (fit) pane.view->resetCamera();
    emit paneRedrawn(paneOf(pane.view));
}

void ViewGrid::runChanged(int id) {
    for (auto& pane : m_panes)
        if (pane->runId == id) redraw(*pane, false);
    refillRunCombos();  // a new name, perhaps
}

}  // namespace latentscape::ui
