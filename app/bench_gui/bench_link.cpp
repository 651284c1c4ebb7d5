// latentscape-bench link: is the interface still fluid with 4 linked views of 100,000 points each
// (issue 13: "link the views at 100k points each without the UI thread stalling more than 50 ms")?
// The real main window shows 4 finished runs of a blobs dataset side by side (compareRuns), then
// an interaction sequence is driven through the window's own paths: boxes and lassos drawn in the
// panes (ScatterView::shapeDrawn, as a mouse release emits it), hover sweeps (mouse moves over a
// view, and pointHovered alone), switching a pane's run, hiding a class in the legend. For each
// operation: the synchronous call, the time until the window has composed its next frame (every
// view that changed repainted: QOpenGLWidget::frameSwapped), the views' paintGL time, and the
// longest gap of a 1 ms heartbeat timer (the event-loop stall). At the end, a breakdown of one
// selection change into its parts. Each size runs three times: the reference with every view an
// OpenGL view drawn by VTK (as before the CPU drawing existed), OpenGL views drawing their points
// on the CPU (--no-reference skips these two), then the default (VtkView::defaultBackend(): Cpu
// views in a plain raster window on a software OpenGL). Run it under Xvfb (Mesa llvmpipe):
//   xvfb-run -a -s "-screen 0 1920x1200x24" latentscape-bench link
#include "benches.h"

#include "MainWindow.h"
#include "common/json.h"
#include "common/rng.h"
#include "data/synthetic.h"
#include "model/Document.h"
#include "model/Run.h"
#include "panels/DataPanel.h"
#include "panels/LegendWidget.h"
#include "panels/MetricsPanel.h"
#include "panels/SelectionPanel.h"
#include "reduce/pca.h"
#include "select/screen.h"
#include "views/ViewGrid.h"
#include "vtk/ScatterView.h"
#include "vtk/VtkView.h"

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QOpenGLWidget>
#include <QWindow>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QStatusBar>
#include <QTimer>
#include <QtTest/QTest>


#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace latentscape::bench {
namespace {

constexpr double kStallLimitMs = 50.0;

/// The 1-minute load average (other work on the machine shows in every figure here).
double loadAverage() {
    std::ifstream f("/proc/loadavg");
    double load = -1.0;
    f >> load;
    return load;
}

double nowMs() {
    static const auto start = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// Watches the GUI thread: a 1 ms heartbeat (its longest gap is the event-loop stall), the
/// window's composed frames, and VTK's render time per view.
class Monitor : public QObject {
public:
    Monitor() {
        m_beat.setTimerType(Qt::PreciseTimer);
        m_beat.setInterval(1);
        QObject::connect(&m_beat, &QTimer::timeout, this, [this] { tick(); });
    }
    void start() {
        m_last = nowMs();
        m_beat.start();
    }
    void tick() {
        const double t = nowMs();
        m_gap = std::max(m_gap, t - m_last);
        m_phaseGap = std::max(m_phaseGap, t - m_last);
        m_last = t;
        ++m_ticks;
    }
    /// The operation starts now: the heartbeat's gap counts from here.
    void beginOp() {
        const double t = nowMs();
        m_phaseGap = std::max(m_phaseGap, t - m_last);
        m_last = t;
        m_gap = 0.0;
        m_frames = 0;
        m_render = 0.0;
        m_renders = 0;
        m_compose = 0.0;
    }
    void beginPhase() { m_phaseGap = 0.0; }
    /// A frame of the window: Qt handles an UpdateRequest (it paints the changed widgets and
    /// flushes them to the screen, composing the window through OpenGL when it holds an OpenGL
    /// view); the frame ends when that handling is over (a queued call runs after it).
    void watchFrames(QWidget* window, ui::ScatterView* view) {
        window->installEventFilter(this);
        if (window->windowHandle()) window->windowHandle()->installEventFilter(this);
        if (auto* gl = view->findChild<QOpenGLWidget*>()) {
            m_gl = true;
            QObject::connect(gl, &QOpenGLWidget::aboutToCompose, this, [this] { m_composeStart = nowMs(); });
            QObject::connect(gl, &QOpenGLWidget::frameSwapped, this, [this] { m_composeEnd = nowMs(); });
        }
    }
    bool eventFilter(QObject*, QEvent* event) override {
        if (event->type() == QEvent::UpdateRequest) {
            const double start = nowMs();
            const double render = m_render;
            QMetaObject::invokeMethod(
                this,
                [this, start, render] {
                    if (m_frames++ > 0) return;
                    m_lastFrame = nowMs();
                    // OpenGL: the composition; Cpu: the frame less the views' drawing.
                    m_compose = m_gl ? m_composeEnd - m_composeStart : m_lastFrame - start - (m_render - render);
                },
                Qt::QueuedConnection);
        }
        return false;
    }

    /// Each view's paintGL: VTK's render, or the CPU raster and its upload.
    void watchRenders(ui::ScatterView* view) {
        QObject::connect(view, &ui::VtkView::frameRendered, this, [this](double ms) {
            if (m_frames > 0) return;  // after the frame the operation waited for
            m_render += ms;
            m_renderMax = std::max(m_renderMax, ms);
            ++m_renders;
        });
    }

    int m_frames = 0;
    double m_lastFrame = 0.0;  // the first frame since beginOp()
    double m_gap = 0.0;       // the longest heartbeat gap since beginOp()
    double m_phaseGap = 0.0;  // ... since beginPhase()
    double m_render = 0.0;    // paintGL time since beginOp() (all views)
    // The first frame's composition since beginOp(): aboutToCompose -> frameSwapped, which holds
    // the GL flush of every view (llvmpipe's rasterizer threads finishing the points VTK queued),
    // drawing the window's backing store and the views' textures, and the swap to the X server.
    double m_compose = 0.0;
    double m_composeStart = 0.0;
    double m_composeEnd = 0.0;
    bool m_gl = false;
    double m_renderMax = 0.0;
    int m_renders = 0;
    long m_ticks = 0;

private:
    QTimer m_beat;
    double m_last = 0.0;
};

/// Until no frame has come for `quietMs` (at most `limitMs`): delayed work (the level of detail's
/// settle timer, workers' results) ends before the next operation starts.
void settle(Monitor& m, double quietMs = 60.0, double limitMs = 3000.0) {
    const double start = nowMs();
    m.m_frames = 0;
    double since = nowMs();
    while (nowMs() - start < limitMs) {
        const int frames = m.m_frames;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
        if (m.m_frames != frames) since = nowMs();
        if (nowMs() - since > quietMs) break;
    }
}

struct Sample {
    double sync = 0, frame = 0, render = 0, compose = 0, gap = 0;
    int renders = 0;
    bool framed = false;
};

/// Times `op`: the synchronous call, then events until the window's next frame (required when
/// `expectFrame`; else up to 40 ms for one), then one more heartbeat tick so that the gap the
/// operation caused is closed.
template <class F>
Sample measure(Monitor& m, F&& op, bool expectFrame) {
    settle(m, 40.0, 2000.0);
    Sample s;
    m.beginOp();
    const double t0 = nowMs();
    op();
    const double t1 = nowMs();
    s.sync = t1 - t0;
    const double limit = expectFrame ? 5000.0 : 40.0;
    while (m.m_frames == 0 && nowMs() - t1 < limit)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    s.framed = m.m_frames > 0;
    s.frame = s.framed ? m.m_lastFrame - t0 : s.sync;
    const long ticks = m.m_ticks;
    const double wait = nowMs();
    while (m.m_ticks == ticks && nowMs() - wait < 100.0)
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    s.gap = m.m_gap;
    s.render = m.m_render;
    s.compose = m.m_compose;
    s.renders = m.m_renders;
    return s;
}

struct Stats {
    double median = 0, p95 = 0, max = 0;
};
Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    const std::size_t k = v.size();
    s.median = k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
    s.p95 = v[std::min(k - 1, std::size_t(std::ceil(0.95 * double(k))) - 1)];
    s.max = v.back();
    return s;
}

struct Operation {
    std::string name;
    std::string what;
    std::vector<Sample> samples;
};

void writeStats(json::Writer& w, const char* key, const Stats& s) {
    w.key(key).begin_object().key("median").value(s.median).key("p95").value(s.p95).key("max").value(s.max).end_object();
}

select::Polygon lassoAround(double cx, double cy, double rx, double ry, int vertices, double wobble) {
    select::Polygon p;
    for (int i = 0; i < vertices; ++i) {
        const double a = 2 * M_PI * i / vertices;
        const double r = 1.0 + wobble * std::sin(5 * a);
        p.push_back({cx + rx * r * std::cos(a), cy + ry * r * std::sin(a)});
    }
    return p;
}

/// Four finished runs of `ds`: its PCA (2-D), the same rotated by 40 degrees with noise, the 2nd
/// and 3rd components bent, and the 3-D PCA.
std::vector<ui::Run> makeRuns(const data::Dataset& ds) {
    reduce::PcaOptions o;
    o.components = 3;
    const reduce::PcaResult fit = reduce::pca(ds, o);
    const auto n = std::size_t(ds.n);
    auto e2 = std::make_shared<std::vector<float>>(2 * n), rot = std::make_shared<std::vector<float>>(2 * n),
         bent = std::make_shared<std::vector<float>>(2 * n), e3 = std::make_shared<std::vector<float>>(3 * n);
    Rng rng(7);
    const double c = std::cos(40 * M_PI / 180), s = std::sin(40 * M_PI / 180);
    for (std::size_t i = 0; i < n; ++i) {
        const float a = fit.scores[3 * i], b = fit.scores[3 * i + 1], z = fit.scores[3 * i + 2];
        (*e2)[2 * i] = a, (*e2)[2 * i + 1] = b;
        (*rot)[2 * i] = float(c * a - s * b + 0.5 * rng.normal());
        (*rot)[2 * i + 1] = float(s * a + c * b + 0.5 * rng.normal());
        (*bent)[2 * i] = b + 0.02f * z * z, (*bent)[2 * i + 1] = z;
        (*e3)[3 * i] = a, (*e3)[3 * i + 1] = b, (*e3)[3 * i + 2] = z;
    }
    std::vector<ui::Run> runs;
    const auto add = [&](const QString& name, std::shared_ptr<std::vector<float>> e, int dims) {
        ui::Run r;
        r.name = name;
        r.spec.method = ui::RunSpec::Method::Pca;
        r.spec.dims = dims;
        r.spec.pca.components = dims;
        r.state = ui::Run::State::Done;
        r.embedding = std::move(e);
        r.dims = dims;
        r.iterations = 1;
        runs.push_back(std::move(r));
    };
    add(QStringLiteral("PCA"), e2, 2);
    add(QStringLiteral("PCA rotated + noise"), rot, 2);
    add(QStringLiteral("PCA 2-3 bent"), bent, 2);
    add(QStringLiteral("PCA 3-D"), e3, 3);
    return runs;
}

struct CaseResult {
    std::int64_t n = 0;
    ui::VtkView::Backend backend = ui::VtkView::Backend::Cpu;
    ui::ScatterView::Raster raster = ui::ScatterView::Raster::Auto;
    bool reference = false;
    std::string rasterName;
    int views = 0;
    QSize viewSize, windowSize;
    double loadBefore = 0.0, loadAfter = 0.0;
    std::vector<Operation> ops;
    double maxGap = 0.0;  // the whole interaction sequence, settling included
    std::vector<std::pair<std::string, double>> breakdown;
    std::int64_t selected = 0;
};

bool runCase(std::int64_t n, ui::VtkView::Backend backend, ui::ScatterView::Raster raster, bool reference,
             CaseResult& result) {
    result.n = n;
    result.backend = backend;
    result.raster = raster;
    result.reference = reference;
    ui::VtkView::setDefaultBackend(backend);  // for the views the window makes
    result.loadBefore = loadAverage();
    data::synthetic::BlobsOptions bo;
    bo.n = n;
    bo.d = 30;
    bo.k = 10;
    bo.seed = 3;
    auto ds = std::make_shared<const data::Dataset>(data::synthetic::blobs(bo));
    const std::vector<ui::Run> runs = makeRuns(*ds);

    ui::MainWindow window;
    window.resize(1800, 1100);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        std::fprintf(stderr, "latentscape-bench link: no window could be shown (run it under xvfb-run)\n");
        return false;
    }
    {
        QSignalSpy shown(&window, &ui::MainWindow::datasetChanged);
        window.setDataset(ds, QStringLiteral("blobs"));
        if (!shown.wait(60000)) throw std::runtime_error("the dataset was not shown");
    }
    std::vector<int> ids;
    for (const ui::Run& r : runs) ids.push_back(window.document()->addRun(r));
    window.compareRuns(ids);
    ui::ViewGrid* grid = window.viewGrid();
    if (grid->paneCount() != 4) throw std::runtime_error("compareRuns did not show 4 views");
    std::vector<ui::ScatterView*> views = grid->views();
    result.views = int(views.size());
    int onCpu = 0;
    for (ui::ScatterView* v : views) {
        v->setRaster(raster);
        onCpu += v->drawsOnCpu();
    }

    Monitor mon;
    mon.watchFrames(&window, views[0]);
    for (ui::ScatterView* v : views) mon.watchRenders(v);
    mon.start();
    settle(mon, 300.0, 10000.0);  // first frames, GL set-up
    result.viewSize = views[1]->size();
    onCpu = 0;
    for (ui::ScatterView* v : views) onCpu += v->drawsOnCpu();
    result.rasterName = std::string(backend == ui::VtkView::Backend::OpenGL ? "OpenGL views" : "CPU views (no OpenGL)") +
                        (reference ? " (reference)" : "") + ": " + std::to_string(onCpu) + " of " +
                        std::to_string(views.size()) + " views draw their points on the CPU; OpenGL here: " +
                        ui::VtkView::probedRenderer().toStdString();
    result.windowSize = window.size();
    mon.beginPhase();

    result.ops.reserve(16);  // op() hands out references into it
    const auto op = [&](const std::string& name, const std::string& what) -> Operation& {
        for (Operation& o : result.ops)
            if (o.name == name) return o;
        result.ops.push_back({name, what, {}});
        return result.ops.back();
    };

    // The floor: any repaint of the window (here a status bar message, no view changed) composes
    // the whole window with its 4 GL views.
    Operation& floor = op("repaint_label", "a status bar message: no view changes, the window is composed again");
    for (int k = 0; k < 10; ++k)
        floor.samples.push_back(measure(mon, [&] { window.statusBar()->showMessage(QStringLiteral("message %1").arg(k)); }, true));

    // (a) 20 selection changes: boxes and lassos drawn in each pane in turn, through that pane's
    // camera; most replace the selection, some add (Shift) or subtract (Ctrl).
    Operation& sel = op("select", "box or lasso in one pane -> selection pushed to the 4 views (ScatterView::shapeDrawn)");
    for (int k = 0; k < 20; ++k) {
        ui::ScatterView* v = views[std::size_t(k % 4)];
        const double w = v->width(), h = v->height();
        const double cx = w * (0.3 + 0.4 * ((k * 37) % 11) / 10.0), cy = h * (0.3 + 0.4 * ((k * 53) % 7) / 6.0);
        const select::Polygon shape = k % 2 == 0 ? select::box(cx - 0.2 * w, cy - 0.15 * h, cx + 0.2 * w, cy + 0.15 * h)
                                                 : lassoAround(cx, cy, 0.22 * w, 0.2 * h, 200, 0.25);
        const Qt::KeyboardModifiers mods = k % 5 == 3 ? Qt::ShiftModifier : k % 5 == 4 ? Qt::ControlModifier : Qt::NoModifier;
        sel.samples.push_back(measure(mon, [&] { emit v->shapeDrawn(shape, mods); }, true));
    }
    result.selected = window.selection().count();

    // (b) Hover: the mouse swept across pane 1 (pointAt over every point per move; the point
    // under it is ringed in the 3 other views and its tooltip shown), then pointHovered alone.
    Operation& hover = op("hover_move", "mouse move over a pane: pointAt + rings in the other 3 views + tooltip");
    {
        ui::ScatterView* v = views[1];
        const int steps = 120;
        for (int k = 0; k < steps; ++k) {
            const double t = double(k) / (steps - 1);
            const QPointF at(v->width() * (0.1 + 0.8 * t), v->height() * (0.5 + 0.3 * std::sin(6 * t)));
            hover.samples.push_back(measure(
                mon,
                [&] {
                    QMouseEvent e(QEvent::MouseMove, at, v->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
                    QCoreApplication::sendEvent(v, &e);
                },
                false));
        }
    }
    Operation& hoverEmit = op("hover_ring", "pointHovered(row) in a pane -> setMarkedPoints in the other 3 views");
    for (int k = 0; k < 60; ++k) {
        ui::ScatterView* v = views[std::size_t(k % 4)];
        const std::int64_t row = k == 59 ? -1 : (std::int64_t(k) * 7919) % n;
        hoverEmit.samples.push_back(measure(mon, [&] { emit v->pointHovered(row); }, false));
    }

    // (c) Switching runs: a compare pane's header combo (ViewGrid::setRun, then the window pushes
    // colours, visibility and selection to it), and the main pane's (the document's current run).
    Operation& sw = op("switch_pane_run", "a compare pane shows another run (ViewGrid::setRun -> refreshPane)");
    for (int k = 0; k < 9; ++k) {
        const int pane = 1 + k % 3;
        const int id = ids[std::size_t((pane + 1 + k / 3) % 4)];
        sw.samples.push_back(measure(mon, [&] { grid->setRun(pane, id); }, true));
    }
    Operation& swMain = op("switch_main_run", "the main pane shows another run (Document::setCurrentRun)");
    for (int k = 0; k < 4; ++k) {
        const int id = ids[std::size_t((k + 1) % 4)];
        swMain.samples.push_back(measure(mon, [&] { grid->setRun(0, id); }, true));
    }
    settle(mon, 400.0, 5000.0);

    // (d) Hiding a class in the legend (every view leaves its points out), and showing it again.
    ui::LegendWidget* legend = window.dataPanel()->legend();
    if (window.dataPanel()->colorColumn() >= 0) {
        Operation& hide = op("hide_class", "legend: a class hidden / shown again in the 4 views (updateVisibility)");
        for (int k = 0; k < 8; ++k) {
            const std::vector<std::int32_t> codes = k % 2 == 0 ? std::vector<std::int32_t>{std::int32_t(k / 2)} : std::vector<std::int32_t>{};
            hide.samples.push_back(measure(mon, [&] { legend->setHiddenCodes(codes); }, true));
        }
    }
    settle(mon, 400.0, 5000.0);
    result.maxGap = mon.m_phaseGap;
    result.loadAfter = loadAverage();

    // Where a selection change goes: its parts one by one, with the same selection as the last
    // box of (a). Each render is one view's paintGL alone.
    {
        ui::ScatterView* v = views[0];
        const double w = v->width(), h = v->height();
        const select::Polygon shape = select::box(0.3 * w, 0.35 * h, 0.7 * w, 0.65 * h);
        const auto& visible = v->visibility();
        auto& b = result.breakdown;
        double t = nowMs();
        const select::Selection picked =
            select::inside_polygon(v->coordinates(), n, 3, v->projection(), shape, visible.empty() ? nullptr : visible.data());
        b.push_back({"select::inside_polygon (1 view, 2 threads)", nowMs() - t});
        t = nowMs();
        const select::Selection combined = window.selection().combined(picked, select::Mode::Replace);
        b.push_back({"Selection::combined", nowMs() - t});
        Sample s = measure(mon, [&] { window.setSelection(combined); }, true);
        b.push_back({"MainWindow::setSelection, synchronous (all of onSelectionChanged)", s.sync});
        b.push_back({"  then its frame: 4 views repainted (paint, sum)", s.render});
        b.push_back({"  then its frame: the window's composition", s.compose});
        b.push_back({"  then its frame: until on screen, in all", s.frame - s.sync});
        // The first selection after none also brings the Selection dock to the front.
        settle(mon);
        window.setSelection(select::Selection(n));
        settle(mon, 100.0);
        s = measure(mon, [&] { window.setSelection(combined); }, true);
        b.push_back({"MainWindow::setSelection, the first after none (Selection dock raised), synchronous", s.sync});
        b.push_back({"  then its frame: until on screen, in all", s.frame - s.sync});
        window.metricsPanel()->raise();
        settle(mon, 100.0);
        s = measure(mon, [&] { window.selectionPanel()->raise(); }, true);
        b.push_back({"  the Selection dock's tab brought to the front alone (raise()), synchronous", s.sync});
        b.push_back({"  then its frame: until on screen, in all", s.frame - s.sync});
        // The parts of onSelectionChanged.
        settle(mon);
        settle(mon);
        std::vector<std::uint8_t> rgb(3 * std::size_t(n));
        for (std::size_t i = 0; i < std::size_t(n); ++i) {
            const auto c = v->pointColor(i);
            rgb[3 * i] = c[0], rgb[3 * i + 1] = c[1], rgb[3 * i + 2] = c[2];
        }
        t = nowMs();
        for (ui::ScatterView* x : views) x->setColors(rgb.data(), std::size_t(n));
        b.push_back({"ScatterView::setColors x 4 (copy into VTK's colour array)", nowMs() - t});
        settle(mon);
        double emph = 0.0;
        for (ui::ScatterView* x : views) {
            std::vector<std::uint8_t> e = x->emphasis();
            x->setEmphasis({});
            t = nowMs();
            x->setEmphasis(e);
            emph += nowMs() - t;
        }
        b.push_back({"ScatterView::setEmphasis x 4 (rebuildVertices)", emph});
        settle(mon);
        t = nowMs();
        window.selectionPanel()->setSelection(window.selection());
        b.push_back({"SelectionPanel::setSelection", nowMs() - t});
        settle(mon);
        // One view repainted with nothing changed, after new colours, after a new vertex list.
        s = measure(mon, [&] { v->requestFrame(); }, true);
        b.push_back({"1 view repainted, nothing changed (paint)", s.render});
        s = measure(mon, [&] { v->setColors(rgb.data(), std::size_t(n)); }, true);
        b.push_back({"1 view repainted after setColors (paint: colours changed)", s.render});
        s = measure(
            mon,
            [&] {
                std::vector<std::uint8_t> e = v->emphasis();
                v->setEmphasis({});
                v->setEmphasis(e);
            },
            true);
        b.push_back({"1 view repainted after setEmphasis (paint: new vertex list)", s.render});
        s = measure(mon, [&] { for (ui::ScatterView* x : views) x->requestFrame(); }, true);
        b.push_back({"4 views repainted, nothing changed (paint, sum)", s.render});
        b.push_back({"  the window's composition", s.compose});
        b.push_back({"  until on screen, in all", s.frame});

        // What if the linked views drew a subsample while they change (the level of detail that
        // moving points get): the same 4 repaints with at most `limit` points drawn per view.
        const std::size_t defaultLimit = v->movingPointLimit();
        for (const std::size_t limit : {std::size_t(60000), std::size_t(25000), std::size_t(10000)}) {
            if (std::size_t(n) <= limit) continue;
            settle(mon, 400.0, 3000.0);
            s = measure(
                mon,
                [&] {
                    for (ui::ScatterView* x : views) {
                        x->setMovingPointLimit(limit);
                        // The same coordinates again: the view takes them as moving points.
                        const float* xyz = x->coordinates();
                        if (x->isThreeD()) {
                            const std::vector<float> copy(xyz, xyz + 3 * n);
                            x->setPoints(copy.data(), std::size_t(n));
                        } else {
                            std::vector<float> px(static_cast<std::size_t>(n)), py(static_cast<std::size_t>(n));
                            for (std::size_t i = 0; i < std::size_t(n); ++i) px[i] = xyz[3 * i], py[i] = xyz[3 * i + 1];
                            x->setPoints(px.data(), py.data(), std::size_t(n));
                        }
                    }
                },
                true);
            const std::string tag = "what if: 4 views repainted drawing <= " + std::to_string(limit) + " points each";
            b.push_back({tag + " (paint, sum)", s.render});
            b.push_back({"  the window's composition", s.compose});
            b.push_back({"  until on screen, in all", s.frame});
        }
        for (ui::ScatterView* x : views) x->setMovingPointLimit(defaultLimit);
        settle(mon, 400.0, 3000.0);

        // What if the points were smaller: llvmpipe turns every point wider than 1 pixel into
        // triangles on the calling (GUI) thread (OpenGL views; the CPU's cost barely changes).
        const double pointSize = v->pointSize();
        for (const double size : {1.0, 2.0}) {
            for (ui::ScatterView* x : views) x->setPointSize(size);
            settle(mon, 100.0);
            s = measure(mon, [&] { for (ui::ScatterView* x : views) x->requestFrame(); }, true);
            b.push_back({"what if: points of " + std::to_string(int(size)) + " px: 4 views repainted (paint, sum)", s.render});
            b.push_back({"  until on screen, in all", s.frame});
        }
        for (ui::ScatterView* x : views) x->setPointSize(pointSize);
        settle(mon, 100.0);

        // The floor of any frame depends on the window's size, not on the points.
        for (const QSize size : {QSize(1200, 800), QSize(800, 600)}) {
            window.resize(size);
            settle(mon, 300.0, 5000.0);
            std::vector<double> frames, composes;
            for (int k = 0; k < 5; ++k) {
                s = measure(mon, [&] { window.statusBar()->showMessage(QStringLiteral("message %1").arg(k)); }, true);
                frames.push_back(s.frame), composes.push_back(s.compose);
            }
            b.push_back({"what if: the window at " + std::to_string(size.width()) + " x " + std::to_string(size.height()) +
                             ": a status bar message, until on screen (median)",
                         stats(frames).median});
        }
        window.resize(1800, 1100);
    }
    return true;
}

}  // namespace

int bench_link(const BenchArgs& args) {
    QSurfaceFormat::setDefaultFormat(ui::VtkView::defaultFormat());
    static int argc = 1;
    static char name[] = "latentscape-bench";
    static char* argv[] = {name, nullptr};
    QStandardPaths::setTestModeEnabled(true);  // the window's settings go to a throw-away place
    QApplication::setApplicationName(QStringLiteral("latentscape-bench"));
    QApplication::setOrganizationName(QStringLiteral("Latentscape"));
    QApplication app(argc, argv);

    std::vector<std::int64_t> sizes = {10000, 100000};
    if (args.n > 0) sizes = {args.n};
    struct Config {
        ui::VtkView::Backend backend;
        ui::ScatterView::Raster raster;
        bool reference;
    };
    std::vector<Config> configs;
    if (args.reference) {
        configs.push_back({ui::VtkView::Backend::OpenGL, ui::ScatterView::Raster::OpenGL, true});
        configs.push_back({ui::VtkView::Backend::OpenGL, ui::ScatterView::Raster::Auto, true});
    }
    configs.push_back({ui::VtkView::defaultBackend(), ui::ScatterView::Raster::Auto, false});
    std::vector<CaseResult> results;
    for (const std::int64_t n : sizes)
        for (const Config& c : configs) {
            CaseResult r;
            if (!runCase(n, c.backend, c.raster, c.reference, r)) return 1;
            results.push_back(std::move(r));
        }

    json::Writer w;
    w.begin_object();
    w.key("stall_limit_ms").value(kStallLimitMs);
    w.key("cases").begin_array();
    bool ok = true;
    for (const CaseResult& r : results) {
        if (!args.json) {
            std::printf("\n%lld points: %d linked views of %d x %d in a %d x %d window (runs: PCA, rotated, bent, 3-D)\n"
                        "drawing: %s\n",
                        static_cast<long long>(r.n), r.views, r.viewSize.width(), r.viewSize.height(), r.windowSize.width(),
                        r.windowSize.height(), r.rasterName.c_str());
            std::printf("%-16s %5s | %-22s | %-22s | %-22s | %-30s\n", "operation", "count", "synchronous ms",
                        "until on screen ms", "heartbeat gap ms", "frame medians ms");
            std::printf("%-16s %5s | %6s %7s %7s | %6s %7s %7s | %6s %7s %7s | %-16s %6s %6s\n", "", "", "median", "p95", "max",
                        "median", "p95", "max", "median", "p95", "max", "paintGL (n)", "compose", "other");
        }
        w.begin_object();
        w.key("points").value(r.n).key("views").value(r.views).key("drawing").value(r.rasterName);
        w.key("view_width").value(r.viewSize.width()).key("view_height").value(r.viewSize.height());
        w.key("window_width").value(r.windowSize.width()).key("window_height").value(r.windowSize.height());
        w.key("load_average_before").value(r.loadBefore).key("load_average_after").value(r.loadAfter);
        w.key("operations").begin_array();
        for (const Operation& o : r.ops) {
            std::vector<double> sync, frame, gap, render, renders, compose, rest;
            int over = 0, framed = 0;
            std::size_t worstSync = 0, worstGap = 0;
            for (std::size_t k = 0; k < o.samples.size(); ++k) {
                const Sample& s = o.samples[k];
                sync.push_back(s.sync), frame.push_back(s.frame), gap.push_back(s.gap);
                if (s.sync > o.samples[worstSync].sync) worstSync = k;
                if (s.gap > o.samples[worstGap].gap) worstGap = k;
                over += s.gap > kStallLimitMs;
                if (!s.framed) continue;
                ++framed;
                render.push_back(s.render), renders.push_back(s.renders), compose.push_back(s.compose);
                rest.push_back(s.frame - s.sync - s.render - s.compose);
            }
            const Stats ss = stats(sync), sf = stats(frame), sg = stats(gap), sr = stats(render), sn = stats(renders),
                        sc = stats(compose), so = stats(rest);
            w.begin_object().key("name").value(o.name).key("what").value(o.what).key("count").value(o.samples.size());
            w.key("framed").value(framed);
            writeStats(w, "sync_ms", ss);
            writeStats(w, "frame_ms", sf);
            writeStats(w, "heartbeat_gap_ms", sg);
            writeStats(w, "render_ms", sr);
            writeStats(w, "compose_ms", sc);
            writeStats(w, "other_ms", so);
            w.key("renders_median").value(sn.median);
            w.key("over_limit").value(over);
            w.key("worst_sync_at").value(worstSync).key("worst_gap_at").value(worstGap);
            w.end_object();
            if (!args.json)
                std::printf("%-16s %5zu | %6.1f %7.1f %7.1f | %6.1f %7.1f %7.1f | %6.1f %7.1f %7.1f | %8.1f (%g)%*s %6.1f %6.1f  %d/%zu over 50 ms\n",
                            o.name.c_str(), o.samples.size(), ss.median, ss.p95, ss.max, sf.median, sf.p95, sf.max, sg.median,
                            sg.p95, sg.max, sr.median, sn.median, sn.median >= 10 ? 2 : 3, "", sc.median, so.median, over,
                            o.samples.size());
        }
        w.end_array();
        w.key("max_heartbeat_gap_ms").value(r.maxGap);
        w.key("selected_rows").value(r.selected);
        w.key("breakdown").begin_array();
        for (const auto& [what, ms] : r.breakdown) w.begin_object().key("what").value(what).key("ms").value(ms).end_object();
        w.end_array();
        w.end_object();
        if (!args.json) {
            std::printf("longest heartbeat gap over the whole sequence: %.1f ms (limit %.0f ms); load average %.1f before, %.1f after\n",
                        r.maxGap, kStallLimitMs, r.loadBefore, r.loadAfter);
            std::printf("one selection change, part by part:\n");
            for (const auto& [what, ms] : r.breakdown) std::printf("  %-70s %8.2f ms\n", what.c_str(), ms);
        }
        if (!r.reference) ok = ok && r.maxGap <= kStallLimitMs;
    }
    w.end_array();
    w.key("within_limit").value(ok);
    w.end_object();
    if (args.json) std::printf("%s\n", w.str().c_str());
    return 0;
}

}  // namespace latentscape::bench
