#pragma once
// Shared by the GUI suites: small datasets, pixel counting and a window showing blobs.

#include "MainWindow.h"
#include "data/synthetic.h"
#include "panels/DataPanel.h"
#include "panels/LegendWidget.h"
#include "vtk/ColorMaps.h"
#include "vtk/ScatterView.h"
#include "vtk/VtkView.h"

#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QIcon>
#include <QImageReader>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QOpenGLContext>
#include <QOpenGLWidget>
#include <QPushButton>
#include <QStandardPaths>
#include <QSurfaceFormat>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <random>

using namespace latentscape;

namespace gui_fixtures {


/// Gaussian blobs (data::synthetic::blobs) as a shared dataset.
inline std::shared_ptr<const data::Dataset> makeBlobs(std::int64_t n, std::int64_t d, int k, std::uint64_t seed) {
    data::synthetic::BlobsOptions options;
    options.n = n;
    options.d = d;
    options.k = k;
    options.seed = seed;
    return std::make_shared<const data::Dataset>(data::synthetic::blobs(options));
}

inline std::shared_ptr<const data::Dataset> smallBlobs() {
    data::synthetic::BlobsOptions options;
    options.n = 1500;
    options.d = 8;
    options.k = 6;
    options.seed = 7;
    return std::make_shared<const data::Dataset>(data::synthetic::blobs(options));
}


// A shown 1000 x 700 window holding `dataset`, its first frame rendered. Fails the current test
// (check QTest::currentTestFailed()) when the window does not come up or the dataset is not shown.
inline void showWindow(std::unique_ptr<ui::MainWindow>& window, std::shared_ptr<const data::Dataset> dataset) {
    window = std::make_unique<ui::MainWindow>();
    window->resize(1000, 700);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window.get()));
    window->setDataset(dataset, QStringLiteral("blobs"));
    QTRY_COMPARE(window->dataset(), dataset);
    QCOMPARE(window->scatterView()->pointCount(), std::size_t(dataset->n));
}

/// Keeps a frame for review next to the test binary (build/<preset>/tests/screenshots/).
inline void keepScreenshot(const QImage& frame, const char* name) {
    const QString dir = QStringLiteral(QT_TESTCASE_BUILDDIR "/screenshots");
    QDir().mkpath(dir);
    const QString path = dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png");
    if (frame.save(path)) qInfo("screenshot: %s", qPrintable(path));
}

inline bool near(QRgb pixel, ui::Rgb color, int tolerance) {
    return std::abs(qRed(pixel) - color.r) + std::abs(qGreen(pixel) - color.g) +
               std::abs(qBlue(pixel) - color.b) <= tolerance;
}

// Pixels of the frame within `tolerance` (sum of channel differences) of `color`.
inline qint64 countNear(const QImage& image, ui::Rgb color, int tolerance) {
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y) {
        const QRgb* line = reinterpret_cast<const QRgb*>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) count += near(line[x], color, tolerance);
    }
    return count;
}

// n points in 2-D whose label is a unique-ish id: 20 ids of 500 points each, then one point per id.
inline std::shared_ptr<const data::Dataset> manyCategories(std::int64_t n, std::int32_t bigIds) {
    auto ds = std::make_shared<data::Dataset>();
    ds->n = n;
    ds->d = 2;
    ds->features.resize(std::size_t(2 * n));
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    for (auto& v : ds->features) v = normal(rng);
    ds->feature_names = {"u", "v"};
    const std::int64_t grouped = std::int64_t(bigIds) * 500;
    std::vector<std::int32_t> codes(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        codes[std::size_t(i)] = i < grouped ? std::int32_t(i % bigIds) : std::int32_t(bigIds + (i - grouped));
    const auto categories = std::size_t(bigIds + (n - grouped));
    std::vector<std::string> names(categories);
    for (std::size_t c = 0; c < categories; ++c) names[c] = "id" + std::to_string(c);
    ds->metadata.push_back(data::MetadataColumn::categorical("id", std::move(codes), std::move(names)));
    ds->label_column = 0;
    ds->source = "many categories";
    ds->format = "synthetic";
    ds->check_consistent();
    return ds;
}

inline std::shared_ptr<const data::Dataset> tinyDataset(float value) {
    auto ds = std::make_shared<data::Dataset>();
    ds->n = 3;
    ds->d = 2;
    ds->features.assign(6, value);
    ds->feature_names = {"a", "b"};
    ds->source = "tiny";
    ds->check_consistent();
    return ds;
}

inline QTreeWidget* legendTree(ui::MainWindow* window) {
    return window->dataPanel()->legend()->findChild<QTreeWidget*>(QStringLiteral("legendCategories"));
}

}  // namespace gui_fixtures

