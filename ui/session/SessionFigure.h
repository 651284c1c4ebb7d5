#pragma once
/// @file What a session shows, without a window: its dataset (checked against the saved hash,
/// with the clusters and groups it carries) and its figure — the same points through the saved
/// camera, colours, faded unselected points, hidden classes, drawing order, axis captions and
/// legend as the app's own figure export of the reopened view.

#include "figure/Figure.h"
#include "figure/PlotRules.h"
#include "session/Session.h"

#include <memory>

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

/// Loads the session's dataset from `dataPath` (the saved path, or where it moved) and adds the
/// session's own columns. Throws LoadError naming the file when it cannot be read, its SHA-256
/// differs from the saved one, or its shape does not match.
std::shared_ptr<data::Dataset> loadSessionDataset(const Session& session, const QString& dataPath,
                                                  const QString& sessionPath);

/// The session's colouring, hidden classes, fading and background, for the plot's rules
/// (figure/PlotRules.h); its colour column found by name in `dataset`.
PlotStyle sessionPlotStyle(const Session& session, const data::Dataset& dataset);

/// The figure of the session's view of `dataset` (from loadSessionDataset), without a title. A
/// 2-D view gets the axis ticks, as the app shows them by default (the session does not record
/// View > Axis Ticks; set Figure::axisTicks = false for none).
Figure figureFromSession(const Session& session, const data::Dataset& dataset);

}  // namespace latentscape::ui
