#pragma once
/// @file A scatter plot of n points with one RGB colour each, rendered by VTK.
/// Coordinates and colours are updated in place, so live updates (an embedding that is still
/// optimising) cost a copy and a Modified(), not a pipeline rebuild.

#include "figure/AxisTicks.h"
#include "figure/Biplot.h"
#include "select/screen.h"
#include "vtk/VtkView.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <QPointF>
#include <QImage>
#include <QPolygonF>
#include <QTimer>
#include <QString>

#include <vtkNew.h>

class vtkActor;
class vtkCellArray;
class vtkIdTypeArray;
class vtkInteractorStyleTrackballCamera;
class vtkPoints;
class vtkPolyData;
class vtkPolyDataMapper;
class vtkRenderer;
class vtkUnsignedCharArray;
class QMenu;

namespace latentscape::ui {

class AxisLabel;
class GuideOverlay;
class PanZoomStyle;
class SelectionOverlay;
class SegmentOverlay;

class ScatterView : public VtkView {
    Q_OBJECT
public:
    explicit ScatterView(QWidget* parent = nullptr);
    ScatterView(Backend backend, QWidget* parent);
    ~ScatterView() override;

    /// 2-D points at (x[i], y[i], 0): parallel projection, drag to pan, wheel to zoom.
    /// Colours are kept when the count is unchanged, else reset to the uniform colour.
    void setPoints(const float* x, const float* y, std::size_t n);
    /// 3-D points, xyz interleaved: perspective camera, drag to rotate.
    void setPoints(const float* xyz, std::size_t n);
    /// 3 bytes (RGB) per point; `n` must equal pointCount().
    void setColors(const std::uint8_t* rgb, std::size_t n);
    /// Which points are drawn (1) or hidden (0); empty: all. Hidden points are left out of the
    /// vertex list (not made transparent), and hover skips them. Reset when the count changes.
    void setVisibility(const std::vector<std::uint8_t>& visible);
    /// Points not hidden (setVisibility).
    std::size_t visibleCount() const { return m_visibleCount; }
    /// Points drawn in the current frame: visibleCount(), or a subsample while points move.
    std::size_t drawnCount() const;
    /// The current frame shades point density per pixel instead of drawing discs: a 2-D view
    /// drawn on the CPU with kDensityMinPoints or more points drawn (10,000,000 discs take ~1 s,
    /// the density ~0.1 s). The emphasised points (the selection) are still discs, on top.
    bool shadesDensity() const;

    /// Level of detail: while coordinates keep changing (a live embedding) or the camera moves
    /// (pan, zoom, rotation), and more than `limit`
    /// points are visible, only an even subsample of about `limit` is drawn; all of them again
    /// 300 ms after the last change. 0 turns it off. Software rendering draws ~60,000 moving
    /// points at 25 frames per second on 2 cores.
    void setMovingPointLimit(std::size_t limit);
    std::size_t movingPointLimit() const { return m_movingLimit; }
    bool isSubsampling() const { return m_subsampling; }

    /// How the points are drawn with the OpenGL backend: by VTK, or on the CPU into an image the
    /// widget shows (PointRaster.h: the same round dots, sizes and colours). Auto: the CPU when
    /// the OpenGL is a software renderer (llvmpipe draws 100,000 point sprites in 50-160 ms, the
    /// CPU in a few) and at least kCpuRasterMinPoints points are visible; OpenGL otherwise. The
    /// Cpu backend always draws on the CPU.
    enum class Raster { Auto, OpenGL, Cpu };
    static constexpr std::size_t kCpuRasterMinPoints = 20000;
    void setRaster(Raster raster);
    Raster raster() const { return m_raster; }
    /// Whether the next frame is drawn on the CPU (the rule above, applied now).
    bool drawsOnCpu() const;

    /// Names of the plotted features, shown along the bottom (X) and left (Y) edges of a 2-D
    /// plot; an empty name hides its label. Hidden in 3-D.
    void setAxisLabels(const QString& xName, const QString& yName);
    QString xAxisLabel() const { return m_xName; }
    QString yAxisLabel() const { return m_yName; }

    /// Tick marks and numbers (1-2-5 steps, the locale's format) along the bottom and left edges
    /// of a 2-D plot, following pans and zooms (figure/AxisTicks.h). Off by default; the window
    /// turns it on for every view (View > Axis Ticks). Hidden in 3-D.
    void setAxisTicks(bool on);
    bool axisTicks() const { return m_axisTicks; }
    /// The camera's map from the plane (data coordinates) to logical widget pixels in 2-D (a
    /// parallel camera: an axis-aligned scale and offset); invalid in 3-D or before any point.
    AxisMap axisMap() const;
    /// The ticks drawn now (empty when off or in 3-D), in logical widget pixels.
    PlotTicks currentTicks() const;

    /// Biplot arrows over a 2-D plot (PCA loadings, figure/Biplot.h): from `origin` to origin +
    /// tip, in data coordinates, labelled. Empty: none. Cleared when the points are replaced by
    /// another plot's (setPoints with a new count, or a switch to 3-D): the window sets them for
    /// the run it shows.
    void setBiplot(std::vector<BiplotArrow> arrows, std::array<double, 2> origin = {0.0, 0.0});
    const std::vector<BiplotArrow>& biplot() const { return m_biplot; }
    std::array<double, 2> biplotOrigin() const { return m_biplotOrigin; }

    /// 3-D projection: perspective (default) or orthographic (distances compare across depth).
    void setPerspective(bool perspective);
    bool perspective() const { return m_perspective; }

    /// Point opacity in (0, 1]: below 1 dense regions read as darker (overplotting shows).
    void setOpacity(double opacity);
    double opacity() const { return m_opacity; }

    /// Dark (near-black) or white background; the palette colours stay the same.
    void setDarkBackground(bool dark);
    bool darkBackground() const { return m_dark; }

    /// Point diameter in logical pixels (drawn at this times the device pixel ratio).
    void setPointSize(double logicalPixels);
    double pointSize() const { return m_pointSize; }

    std::size_t pointCount() const;
    std::array<double, 3> pointPosition(std::size_t i) const;
    std::array<std::uint8_t, 3> pointColor(std::size_t i) const;
    bool isThreeD() const { return m_threeD; }

    /// Fits all points into the view with a small margin. Until the user pans or zooms, the
    /// view keeps fitting them when the widget is resized.
    void resetCamera();
    /// True while the camera is the fitted one (the user has not panned, zoomed or rotated):
    /// a live embedding refits it on every frame then.
    bool isCameraFitted() const { return m_cameraFitted; }

    vtkRenderer* renderer() const;

    /// Data coordinates (z = 0 plane) under a widget position in logical pixels.
    std::array<double, 2> dataPosition(const QPointF& widgetPosition) const;
    /// Where point i is drawn, in logical widget pixels (2-D and 3-D, through the current camera).
    QPointF widgetPosition(std::size_t i) const;
    /// Where the world point (x, y, 0) is drawn, in logical widget pixels.
    QPointF widgetPosition(double x, double y) const;
    /// The point of the z = 0 plane drawn at a widget position (logical pixels): the exact
    /// inverse of widgetPosition() through the current camera (a 2-D plot's data coordinates,
    /// an autoencoder's latent coordinates), for any place, between points too.
    std::array<double, 2> planePosition(const QPointF& widgetPosition) const;

    /// Marks drawn over a 2-D plot at plane points `a` and `b` ("A", "B") joined by a dashed line
    /// when both are set (a latent traversal); they follow pans and zooms. Both unset: none.
    void setOverlaySegment(std::optional<std::array<double, 2>> a, std::optional<std::array<double, 2>> b);
    std::optional<std::array<double, 2>> overlayStart() const { return m_segmentA; }
    std::optional<std::array<double, 2>> overlayEnd() const { return m_segmentB; }
    /// Points that are not rows of the dataset, drawn marked over a 2-D plot (new rows placed on
    /// the map shown: File > Add Points to Map). Empty: none.
    void setAddedPoints(std::vector<std::array<double, 2>> points);
    const std::vector<std::array<double, 2>>& addedPoints() const { return m_added; }
    /// The point drawn nearest to `widgetPosition` within `tolerance` logical pixels (the lowest
    /// index on ties), or -1. O(n): every point is projected with the camera's matrix.
    std::int64_t pointAt(const QPointF& widgetPosition, double tolerance = 6.0) const;

    // Selecting (ScatterViewSelection.cpp). The view only reports shapes and clicks; the window
    // owns the selection (select::History) and turns them into rows.

    /// What a left drag does: pan (2-D) or rotate (3-D), draw a box, or draw a free-hand lasso.
    /// A click without a drag picks the point under the cursor with every tool.
    enum class Tool { Navigate, Box, Lasso };
    void setTool(Tool tool);
    Tool tool() const { return m_tool; }
    /// The camera's map from data coordinates to logical widget pixels, for select::inside_polygon.
    select::Projection projection() const;
    /// Every point's x, y, z (z = 0 in 2-D), 3 floats each: what is drawn.
    const float* coordinates() const;
    /// Points drawn (1) or hidden (0); empty: all.
    const std::vector<std::uint8_t>& visibility() const { return m_visible; }
    /// Points drawn after all others, so that they stay on top (the selection); empty: none.
    /// They are never thinned by the level of detail.
    void setEmphasis(std::vector<std::uint8_t> emphasized);
    const std::vector<std::uint8_t>& emphasis() const { return m_emphasis; }
    /// Points ringed over the plot (rows picked in the selection table, nearest neighbours).
    void setMarkedPoints(std::vector<std::int64_t> rows, std::int64_t focus = -1);
    const std::vector<std::int64_t>& markedPoints() const { return m_marked; }
    /// The point the marks are about (e.g. whose neighbours are ringed), -1 for none.
    std::int64_t focusPoint() const { return m_focus; }
    /// The shape being dragged, in logical pixels (empty when none).
    QPolygonF shapeInProgress() const;

signals:
    /// The mouse moved over the 2-D plot; (x, y) are data coordinates.
    void cursorMoved(double x, double y);
    /// The mouse left the plot, or the plot is 3-D.
    void cursorLeft();
    /// The mouse rests over point `index` (-1: over no point any more).
    void pointHovered(std::int64_t index);
    /// The mouse moved over the 2-D plot (no button down) to `widgetPosition`; `plane` is
    /// planePosition() there.
    void hoverMoved(QPointF widgetPosition, double planeX, double planeY);
    /// A context menu is asked for (right click, menu key) at `widgetPosition`; the receiver
    /// fills `menu` (the view shows it when not empty).
    void contextMenuRequested(QMenu* menu, QPointF widgetPosition);
    /// A box or lasso was drawn (tool Box or Lasso): its corners in logical pixels, and the
    /// keyboard modifiers held when the button was released (Shift adds, Ctrl subtracts, Alt
    /// intersects).
    void shapeDrawn(select::Polygon polygon, Qt::KeyboardModifiers modifiers);
    /// A left click without a drag (any tool): the point under it (pointAt), or -1 over none.
    void pointClicked(std::int64_t index, Qt::KeyboardModifiers modifiers);

protected:
    void paintGL() override;
    void paintCpu(QPainter& painter) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void ensurePointCount(std::size_t n);
    void setThreeD(bool threeD);
    void applyPointSize();
    void onCameraModified();
    void layoutAxisLabels();

    vtkNew<vtkPoints> m_points;
    vtkNew<vtkIdTypeArray> m_vertexIds;
    vtkNew<vtkCellArray> m_vertices;
    vtkNew<vtkUnsignedCharArray> m_colors;
    vtkNew<vtkPolyData> m_polyData;
    vtkNew<vtkPolyDataMapper> m_mapper;
    vtkNew<vtkActor> m_actor;
    vtkNew<vtkRenderer> m_renderer;
    vtkNew<PanZoomStyle> m_panZoomStyle;
    vtkNew<vtkInteractorStyleTrackballCamera> m_rotateStyle;

    GuideOverlay* m_guides = nullptr;
    bool m_axisTicks = false;
    std::vector<BiplotArrow> m_biplot;
    std::array<double, 2> m_biplotOrigin{};
    void updateGuides();
    /// Logical pixels the ticks take along each edge (0 when off).
    double tickBandWidth() const;
    AxisLabel* m_xLabel = nullptr;
    AxisLabel* m_yLabel = nullptr;
    QString m_xName;
    QString m_yName;

    double m_pointSize = 4.0;
    bool m_threeD = false;
    bool m_dark = false;
    bool m_perspective = true;
    double m_opacity = 1.0;
    bool m_cameraFitted = true;
    bool m_fittingCamera = false;
    std::int64_t m_hovered = -1;
    std::vector<std::uint8_t> m_visible;  // empty: all
    std::size_t m_visibleCount = 0;
    std::size_t m_movingLimit = 60000;
    bool m_subsampling = false;
    QTimer* m_settleTimer = nullptr;
    Tool m_tool = Tool::Navigate;
    QPointF m_pressPosition{-1e9, -1e9};  // of the left button; far away when it is up
    bool m_drawingShape = false;
    double m_dragDistance = 0.0;         // the farthest the mouse went from the press, so far
    QPolygonF m_shapePath;               // the lasso's path, or the box's two corners
    SelectionOverlay* m_selectionOverlay = nullptr;
    std::vector<std::uint8_t> m_emphasis;
    std::size_t m_plainDrawn = 0;  ///< drawn points before the emphasised ones (rebuildVertices)
    std::vector<std::int64_t> m_marked;
    std::int64_t m_focus = -1;
    bool beginShape(QMouseEvent* event);
    bool extendShape(QMouseEvent* event);
    bool finishShape(QMouseEvent* event);
    void layoutSelectionOverlay();
    SegmentOverlay* m_overlay = nullptr;
    std::optional<std::array<double, 2>> m_segmentA, m_segmentB;
    std::vector<std::array<double, 2>> m_added;
    void rebuildVertices();
    void pointsMoved();

    Raster m_raster = Raster::Auto;
    QImage m_rasterImage;
    std::vector<float> m_rasterDepth;
    /// What the raster image was drawn from: redrawn only when one of these changed.
    std::array<double, 10> m_rasterKey{};
};

}  // namespace latentscape::ui
