#include "session/SessionFigure.h"

#include "common/error.h"
#include "data/load.h"
#include "figure/PlotRules.h"
#include "select/screen.h"
#include "select/selection.h"

#include <QCoreApplication>
#include <QFile>

#include <algorithm>

namespace latentscape::ui {

std::shared_ptr<data::Dataset> loadSessionDataset(const Session& session, const QString& dataPath,
                                                  const QString& sessionPath) {
    const std::string nativePath = QFile::encodeName(dataPath).toStdString();
    if (datasetSha256(dataPath) != session.datasetSha256)
        throw LoadError(nativePath, "has changed since the session " + sessionPath.toStdString() +
                                        " was saved (its SHA-256 differs): the saved embedding would not match its rows");
    // As it was loaded (missing-value policy, column roles, layout): the same rows and columns.
    auto ds = std::make_shared<data::Dataset>(data::load(nativePath, session.loadOptions));
    if (ds->n != session.rows || ds->d != session.features)
        throw LoadError(nativePath, "has a different shape than the session expects");
    for (const SessionColumn& c : session.columns) {
        std::vector<std::string> categories;
        for (const QString& name : c.categories) categories.push_back(name.toStdString());
        auto column = data::MetadataColumn::categorical(c.name.toStdString(), c.codes, std::move(categories));
        if (const auto at = ds->find_metadata(c.name.toStdString())) ds->metadata[*at] = std::move(column);
        else ds->metadata.push_back(std::move(column));
    }
    ds->check_consistent();
    return ds;
}

PlotStyle sessionPlotStyle(const Session& s, const data::Dataset& ds) {
    PlotStyle style;
    style.colourFeature = s.colourFeature;
    // The column by name (its index may differ: the session's own columns come last).
    if (s.colourFeature < 0)
        if (const auto column = ds.find_metadata(s.colourColumn.toStdString())) style.colourColumn = int(*column);
    style.colourMap = ContinuousMap(std::clamp(s.colourMap.toInt(), 0, 2));
    style.hidden = s.hidden;
    style.dimming = std::clamp(s.dimming, 0.0, 0.95);
    style.darkBackground = s.dark;
    return style;
}

Figure figureFromSession(const Session& s, const data::Dataset& ds) {
    Figure f;
    const auto n = std::size_t(ds.n);
    const double width = std::max(1, s.viewSize.width()), height = std::max(1, s.viewSize.height());
    f.plotSize = QSizeF(width, height);
    f.pointDiameter = s.pointSize;
    f.pointOpacity = s.opacity;
    f.background = plotBackground(s.dark);

    // What the view draws: the embedding, or two features, with z = 0 in 2-D.
    std::vector<float> xyz(3 * n, 0.0f);
    const SessionRun* run = s.shownRun();
    const bool embedding = s.plotEmbedding && run && run->embedding.size() == n * std::size_t(run->dims);
    const bool threeD = embedding && run->dims == 3;
    for (std::size_t i = 0; i < n; ++i) {
        if (embedding) {
            for (int k = 0; k < run->dims; ++k)
                xyz[3 * i + std::size_t(k)] = run->embedding[i * std::size_t(run->dims) + std::size_t(k)];
        } else if (ds.d > 0) {
            xyz[3 * i] = ds.at(std::int64_t(i), std::min<std::int64_t>(s.xFeature, ds.d - 1));
            xyz[3 * i + 1] = ds.at(std::int64_t(i), std::min<std::int64_t>(s.yFeature, ds.d - 1));
        }
    }
    if (!threeD) {
        // The captions the view shows (ReductionController and MainWindow::updatePoints).
        const auto featureName = [&ds](int j) {
            return j >= 0 && std::size_t(j) < ds.feature_names.size() ? QString::fromStdString(ds.feature_names[std::size_t(j)]) : QString();
        };
        f.xLabel = embedding ? QStringLiteral("%1 1").arg(run->method) : featureName(s.xFeature);
        f.yLabel = embedding ? QStringLiteral("%1 2").arg(run->method) : featureName(s.yFeature);
    }

    // Colours, fading, hidden classes and legend by the screen's rules (figure/PlotRules.h).
    const select::Selection selected = select::Selection::from_ids(s.selection, ds.n);
    const PlotStyle style = sessionPlotStyle(s, ds);
    const PlotPoints look = plotPoints(ds, style, selected);
    setPlotLegend(f, ds, style);

    // Points as figureFromView: projected, behind-the-camera ones left out, then in the screen's order.
    select::Projection projection;
    projection.matrix = cameraMatrix(s.camera, width / height);
    projection.width = width;
    projection.height = height;
    std::vector<double> depth;
    f.points.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (!look.visible.empty() && !look.visible[i]) continue;
        double x = 0.0, y = 0.0, z = 0.0;
        if (!select::project(xyz.data(), 3, std::int64_t(i), projection, x, y, z)) continue;
        f.points.push_back({QPointF(x, y), look.colors[3 * i], look.colors[3 * i + 1], look.colors[3 * i + 2],
                            selected.contains(std::int64_t(i)), std::int64_t(i)});
        depth.push_back(z);
    }
    orderAsDrawn(f.points, depth, threeD);
    // The ticks, as the app draws them by default (View > Axis Ticks is on unless turned off; the
    // session does not record the toggle, so a render matches the app's export in the default
    // setting; a caller may set axisTicks = false).
    if (!threeD) {
        const float plane[9] = {0.0f, 0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 1.0f, 0.0f};
        double px[3], py[3], pz = 0.0;
        bool ok = true;
        for (int k = 0; k < 3; ++k) ok = ok && select::project(plane, 3, k, projection, px[k], py[k], pz);
        if (ok) f.axisMap = AxisMap{px[0], px[1] - px[0], py[0], py[2] - py[0]};
        f.axisTicks = ok && n > 0;
    }
    return f;
}

}  // namespace latentscape::ui
