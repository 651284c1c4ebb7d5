#pragma once
/// @file A Figure of what the scatter view shows: every drawn point through the current camera
/// (2-D and 3-D), back to front, in its on-screen colour (selection fading included), hidden
/// classes left out, the selection on top; and the legend of the colouring, as the Data dock
/// shows it (hidden categories left out).

#include "figure/Figure.h"
#include "figure/Legend.h"
#include "jobs/DatasetJob.h"
#include "vtk/ColorMaps.h"

#include <cstdint>
#include <vector>

namespace latentscape::ui {

class ScatterView;

/// The plot of `view` (points, size, point size, opacity, background, 2-D axis captions); no
/// title and no legend. Not the level-of-detail subsample: every visible point.
Figure figureFromView(const ScatterView& view);



}  // namespace latentscape::ui
