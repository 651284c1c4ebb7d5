// PCA in the window (issue 15): the scree plot of a PCA run (View > PCA Components…, the Runs
// dock's context menu) equals scikit-learn's explained_variance_ratio_ (goldens by
// tests/data/pca/make_scree_goldens.py), and the biplot's arrows (View > PCA Loadings) point
// along the loadings of a dataset stretched along known directions, on screen and in figures.

#include "gui_fixtures.h"

#include "data/load.h"
#include "figure/Biplot.h"
#include "figure/FigureFromView.h"
#include "figure/FigureWriter.h"
#include "jobs/RunInput.h"
#include "model/Document.h"
#include "panels/RunsPanel.h"
#include "panels/ScreePlot.h"
#include "reduce/pca.h"

#include <QClipboard>
#include <QDialog>
#include <QMenu>
#include <QTimer>
#include <QTableView>

#include <fstream>
#include <map>
#include <sstream>

using namespace latentscape;
using namespace gui_fixtures;

namespace {

std::map<std::string, std::vector<double>> screeGoldens() {
    std::map<std::string, std::vector<double>> goldens;
    std::ifstream in(LATENTSCAPE_TEST_DATA "/pca/scree_goldens.txt");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name;
        fields >> name;
        double v = 0.0;
        while (fields >> v) goldens[name].push_back(v);
    }
    return goldens;
}

/// A finished PCA run of `ds` (its 2-D scores from the core, after `preprocess`), made current.
int addPcaRun(ui::MainWindow& window, const std::shared_ptr<const data::Dataset>& ds, data::Preprocess preprocess,
              bool scale = false) {
    ui::Run run;
    run.spec.method = ui::RunSpec::Method::Pca;
    run.spec.dims = 2;
    run.spec.preprocess = preprocess;
    run.spec.pca.scale = scale;
    reduce::PcaOptions o;
    o.components = 2;
    o.scale = scale;
    const auto input = ui::runInput(ds, preprocess);
    const reduce::PcaResult fit = reduce::pca(*input, o);
    run.embedding = std::make_shared<const std::vector<float>>(fit.scores.begin(), fit.scores.end());
    run.dims = 2;
    run.state = ui::Run::State::Done;
    const int id = window.document()->addRun(std::move(run));
    window.document()->setCurrentRun(id);
    return id;
}

/// n rows stretched along two known directions of 4 named features: x = 3 t v1 + u v2 + noise,
/// v1 = (0.8, 0.6, 0, 0), v2 = (0, 0, 1, 0), with t, u standard normal and noise 0.02.
std::shared_ptr<const data::Dataset> stretched(std::int64_t n) {
    auto ds = std::make_shared<data::Dataset>();
    ds->n = n;
    ds->d = 4;
    ds->feature_names = {"along_a", "along_b", "across", "still"};
    ds->features.resize(std::size_t(4 * n));
    std::mt19937 rng(5);
    std::normal_distribution<float> normal;
    for (std::int64_t i = 0; i < n; ++i) {
        const float t = 3.0f * normal(rng), u = normal(rng);
        float* row = ds->features.data() + 4 * i;
        row[0] = 0.8f * t + 0.02f * normal(rng);
        row[1] = 0.6f * t + 0.02f * normal(rng);
        row[2] = u + 0.02f * normal(rng);
        row[3] = 0.02f * normal(rng);
    }
    return ds;
}

}  // namespace

class tst_PcaView : public QObject {
    Q_OBJECT
    std::unique_ptr<ui::MainWindow> m_window;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { m_window.reset(); }

    void screeEqualsScikitLearn_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("golden");
        QTest::addColumn<int>("preprocess");
        QTest::newRow("wine") << QStringLiteral("preprocess/wine_features.npy") << QStringLiteral("wine") << int(data::Preprocess::None);
        QTest::newRow("wine standardized") << QStringLiteral("preprocess/wine_features.npy") << QStringLiteral("wine_standardize")
                                           << int(data::Preprocess::Standardize);
        QTest::newRow("30 of 40 components") << QStringLiteral("pca/scree_wide.npy") << QStringLiteral("wide") << int(data::Preprocess::None);
    }
    void screeEqualsScikitLearn() {
        QFETCH(QString, file);
        QFETCH(QString, golden);
        QFETCH(int, preprocess);
        const auto goldens = screeGoldens();
        QVERIFY(goldens.count(golden.toStdString()));
        const std::vector<double>& expected = goldens.at(golden.toStdString());
        const auto ds = std::make_shared<const data::Dataset>(data::load(LATENTSCAPE_TEST_DATA "/" + file.toStdString()));
        showWindow(m_window, ds);
        if (QTest::currentTestFailed()) return;
        const int id = addPcaRun(*m_window, ds, data::Preprocess(preprocess));
        QSignalSpy shown(m_window.get(), &ui::MainWindow::pcaComponentsShown);
        m_window->showPcaComponents(id);
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() == 1, 20000);
        QCOMPARE(shown.at(0).at(0).toInt(), id);
        QCOMPARE(shown.at(0).at(1).toString(), QString());
        auto* dialog = m_window->findChild<QDialog*>(QStringLiteral("pcaComponentsDialog"));
        QVERIFY(dialog && dialog->isVisible());
        auto* plot = dialog->findChild<ui::ScreePlot*>();
        QVERIFY(plot);
        const std::vector<double>& ratio = plot->explainedVariance();
        // min(d, n, 30) components.
        QCOMPARE(ratio.size(), expected.size());
        double worst = 0.0, sum = 0.0, expectedSum = 0.0;
        for (std::size_t k = 0; k < ratio.size(); ++k) {
            worst = std::max(worst, std::abs(ratio[k] - expected[k]));
            sum += ratio[k];
            expectedSum += expected[k];
        }
        qInfo("%s: %zu components, largest difference from scikit-learn %.3g, sum %.6f (scikit-learn %.6f)",
              qPrintable(golden), ratio.size(), worst, sum, expectedSum);
        QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
        // Fractions of the total variance of every column: 30 of 40 components explain less than all.
        if (golden == QStringLiteral("wide")) QVERIFY(sum < 0.99);
        else QVERIFY(std::abs(sum - 1.0) < 1e-6);
        QVERIFY(std::abs(sum - expectedSum) < 1e-6);
        const auto cumulative = plot->cumulative();
        QVERIFY(std::abs(cumulative.back() - sum) < 1e-12);
        keepScreenshot(dialog->grab().toImage(), qPrintable(QStringLiteral("scree_") + golden));
    }

    void screePlotTellsItsValues() {
        ui::ScreePlot plot;
        plot.resize(500, 300);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.setExplainedVariance({0.5, 0.25, 0.125}, QStringLiteral("t"));
        const QRectF bar = plot.barRect(1);
        QVERIFY(!bar.isEmpty());
        QVERIFY(plot.barRect(0).height() > bar.height() * 1.9);  // half the ratio, half the height
        QCOMPARE(plot.barAt(bar.center()), 1);
        QCOMPARE(plot.barAt(QPointF(bar.center().x(), bar.top() - 20)), 1);  // the column above a short bar
        QCOMPARE(plot.barAt(QPointF(2, 2)), -1);
        const QString tip = plot.barToolTip(1);
        QVERIFY2(tip.contains(QStringLiteral("PC2")) && tip.contains(QLocale().toString(25.0, 'f', 2)) &&
                     tip.contains(QLocale().toString(75.0, 'f', 2)),
                 qPrintable(tip));
        const QString text = plot.valuesText();
        QCOMPARE(text.count(QLatin1Char('\n')), 4);
        QVERIFY(text.contains(QStringLiteral("3\t0.125\t0.875\n")));
        plot.copyValues();
        QCOMPARE(QApplication::clipboard()->text(), text);
        plot.setMessage(QStringLiteral("Computing…"));
        QVERIFY(plot.explainedVariance().empty());
    }

    void runsContextMenuOffersComponentsForPcaOnly() {
        const auto ds = stretched(300);
        showWindow(m_window, ds);
        if (QTest::currentTestFailed()) return;
        const int pca = addPcaRun(*m_window, ds, data::Preprocess::None);
        ui::Run tsne;
        tsne.spec.method = ui::RunSpec::Method::Tsne;
        tsne.embedding = m_window->document()->run(pca)->embedding;
        tsne.state = ui::Run::State::Done;
        const int other = m_window->document()->addRun(std::move(tsne));
        ui::RunsPanel* runs = m_window->runsPanel();
        QSignalSpy asked(runs, &ui::RunsPanel::pcaComponentsRequested);
        QTableView* table = runs->table();
        const auto menuAction = [&](int id) {
            const int row = runs->model()->rowOf(id);
            QAction* found = nullptr;
            // The menu is modal: look at it once it is up, then close it.
            QTimer::singleShot(50, this, [&] {
                auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                if (menu) {
                    found = menu->findChild<QAction*>(QStringLiteral("pcaComponentsMenuAction"));
                    if (found && found->isEnabled()) found->trigger();
                    menu->close();
                }
            });
            emit table->customContextMenuRequested(table->visualRect(runs->model()->index(row, 1)).center());
            return found;
        };
        QAction* a = menuAction(pca);
        QVERIFY(a);
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.at(0).at(0).toInt(), pca);
        QAction* b = menuAction(other);
        QVERIFY(b);
        QCOMPARE(asked.count(), 1);  // disabled for a t-SNE
    }

    // The arrows of a dataset stretched along v1 = (0.8, 0.6, 0, 0) and v2 = (0, 0, 1, 0): the
    // two "along" features point along the first component (the sign of the shown scores:
    // towards where they grow), 0.8 : 0.6 long, "across" along the second (1 long); "still" is
    // shortest.
    void biplotArrowsFollowTheLoadings() {
        const auto ds = stretched(600);
        showWindow(m_window, ds);
        if (QTest::currentTestFailed()) return;
        ui::ScatterView* view = m_window->scatterView();
        auto* action = m_window->findChild<QAction*>(QStringLiteral("biplotAction"));
        QVERIFY(action && action->isCheckable());
        if (action->isChecked()) action->trigger();
        QSignalSpy shown(m_window.get(), &ui::MainWindow::biplotShown);
        const int id = addPcaRun(*m_window, ds, data::Preprocess::None);
        QTRY_COMPARE(m_window->document()->currentRunId(), id);
        QTest::qWait(50);
        QVERIFY(view->biplot().empty());  // off by default
        action->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!view->biplot().empty(), 10000);
        const std::vector<ui::BiplotArrow>& arrows = view->biplot();
        QCOMPARE(int(arrows.size()), 4);  // every feature (fewer than 8)
        std::map<QString, std::array<double, 2>> tip;
        for (const auto& a : arrows) tip[a.label] = a.tip;
        QVERIFY(tip.count(QStringLiteral("along_a")) && tip.count(QStringLiteral("across")) && tip.count(QStringLiteral("still")));
        // Longest first: the weights in the components, across 1, along_a 0.8, along_b 0.6, still ~0.
        QCOMPARE(arrows[0].label, QStringLiteral("across"));
        QCOMPARE(arrows[1].label, QStringLiteral("along_a"));
        QCOMPARE(arrows[2].label, QStringLiteral("along_b"));
        QCOMPARE(arrows[3].label, QStringLiteral("still"));

        // The component entries of the same fit, with the shown scores' sign: arrows are parallel.
        reduce::PcaOptions o;
        o.components = 2;
        const reduce::PcaResult fit = reduce::pca(*ds, o);
        const double factor = std::hypot(tip[QStringLiteral("along_a")][0], tip[QStringLiteral("along_a")][1]) /
                              std::hypot(double(fit.components[0]), double(fit.components[4]));
        for (int j = 0; j < 4; ++j) {
            const auto& t = tip[QString::fromStdString(ds->feature_names[std::size_t(j)])];
            QVERIFY2(std::abs(t[0] - factor * fit.components[std::size_t(j)]) < 0.01 * factor &&
                         std::abs(t[1] - factor * fit.components[std::size_t(4 + j)]) < 0.01 * factor,
                     qPrintable(QStringLiteral("feature %1: %2, %3").arg(j).arg(t[0]).arg(t[1])));
        }
        // Closed form: along_a and along_b horizontal, 0.8 : 0.6; across vertical.
        const auto& a = tip[QStringLiteral("along_a")];
        const auto& b = tip[QStringLiteral("along_b")];
        const auto& c = tip[QStringLiteral("across")];
        QVERIFY(std::abs(a[1]) < 0.06 * std::abs(a[0]));  // up to the sample's chance correlation of t and u
        QVERIFY(std::abs(c[0]) < 0.06 * std::abs(c[1]));
        QVERIFY(std::abs(a[0] / b[0] - 0.8 / 0.6) < 0.03);
        // Each arrow points where its feature grows on the plot.
        const std::vector<float>& e = *m_window->document()->run(id)->embedding;
        for (int j = 0; j < 3; ++j) {
            const auto& t = tip[QString::fromStdString(ds->feature_names[std::size_t(j)])];
            double dot = 0.0;
            for (std::int64_t i = 0; i < ds->n; ++i) dot += (t[0] * e[std::size_t(2 * i)] + t[1] * e[std::size_t(2 * i + 1)]) * ds->at(i, j);
            QVERIFY2(dot > 0.0, qPrintable(QString::number(j)));
        }
        // Scaled to the cloud: every tip inside its box, one of them near its edge.
        double reachX = 0.0, reachY = 0.0;
        for (std::int64_t i = 0; i < ds->n; ++i) {
            reachX = std::max(reachX, double(std::abs(e[std::size_t(2 * i)])));
            reachY = std::max(reachY, double(std::abs(e[std::size_t(2 * i + 1)])));
        }
        double fill = 0.0;
        for (const auto& arrow : arrows) {
            QVERIFY(std::abs(arrow.tip[0]) <= reachX && std::abs(arrow.tip[1]) <= reachY);
            fill = std::max({fill, std::abs(arrow.tip[0]) / reachX, std::abs(arrow.tip[1]) / reachY});
        }
        QVERIFY2(fill > 0.6, qPrintable(QString::number(fill)));

        // On screen: the overlay shows; in the figure: the same arrows at the same places.
        auto* overlay = view->findChild<QWidget*>(QStringLiteral("guideOverlay"));
        QVERIFY(overlay && overlay->isVisible());
        const ui::Figure figure = ui::figureFromView(*view);
        QCOMPARE(figure.arrowTips.size(), arrows.size());
        for (std::size_t k = 0; k < arrows.size(); ++k) {
            const QPointF expected = view->widgetPosition(arrows[k].tip[0], arrows[k].tip[1]);
            QVERIFY(QLineF(figure.arrowTips[k], expected).length() < 1.0);
            QCOMPARE(figure.arrowLabels[k], arrows[k].label);
        }
        QVERIFY(QLineF(figure.arrowOrigin, view->widgetPosition(0.0, 0.0)).length() < 1.0);
        keepScreenshot(m_window->grab().toImage(), "biplot_window");
        // File > Export Figure's path: the arrows' ink is in the PNG, not in one without them.
        QTemporaryDir dir;
        const auto arrowPixels = [](const QImage& image) {
            qint64 count = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x) {
                    const QRgb c = image.pixel(x, y);
                    count += qRed(c) > 150 && qRed(c) - qGreen(c) > 90 && qBlue(c) < 60;
                }
            return count;
        };
        ui::FigureOptions options;
        options.size = QSize(1200, 900);
        m_window->exportFigure(dir.filePath(QStringLiteral("biplot.png")), options, QStringLiteral("PCA loadings"));
        const QImage exported(dir.filePath(QStringLiteral("biplot.png")));
        keepScreenshot(exported, "biplot_figure");
        const qint64 withArrows = arrowPixels(exported);
        QVERIFY2(withArrows > 200, qPrintable(QString::number(withArrows)));

        // Turned off: the arrows go, on screen and in figures; remembered.
        action->trigger();
        QTRY_VERIFY(view->biplot().empty());
        QVERIFY(ui::figureFromView(*view).arrowTips.empty());
        m_window->exportFigure(dir.filePath(QStringLiteral("plain.png")), options, QStringLiteral("PCA loadings"));
        QCOMPARE(arrowPixels(QImage(dir.filePath(QStringLiteral("plain.png")))), qint64(0));
        QVERIFY(!QSettings().value(QStringLiteral("view/biplot")).toBool());
    }
};

int main(int argc, char* argv[]) {
    QSurfaceFormat::setDefaultFormat(ui::VtkView::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tst_pca_view"));
    tst_PcaView test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_pca_view.moc"
