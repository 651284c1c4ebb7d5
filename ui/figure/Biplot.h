#pragma once
/// @file PCA loadings drawn as biplot arrows over a 2-D PCA plot (issue 15): which input features
/// grow in which direction of the plane, for the screen (ScatterView::setBiplot) and exported
/// figures (Figure::arrows). Qt Gui only.
///
/// The loading of feature j on score column k is the least-squares slope of the feature (in the
/// units the PCA worked in: divided by its standard deviation when the PCA scaled) on that score
/// column, cov(x_j, s_k) / var(s_k). For the scores of an exact PCA this equals the component
/// entry V_kj (the columns are uncorrelated and x_j = sum_k V_kj s_k + residual), with the sign
/// of the embedding actually shown: it is measured on the shown scores, so it cannot disagree
/// with them whatever sign convention produced them, and whitened scores need no special case.
/// The arrows are then the classic "form" biplot's (scores as drawn, components as arrows), and an
/// arrow's direction is where its feature increases across the plot.

#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

class QPainter;

namespace latentscape::ui {

/// One feature's loading on the two shown score columns.
struct Loading {
    int feature = -1;
    double x = 0.0, y = 0.0;
    double length() const;
};

/// Loadings of every one of the d columns of the n x d row-major `X` on the n x 2 row-major
/// `scores`; `divisors` (d values, or empty for none) scale the columns first, as the PCA did.
/// O(n d), in double, in a fixed order. Columns or score columns without variance get 0.
std::vector<Loading> pcaLoadings(const float* X, std::int64_t n, std::int64_t d, const float* scores,
                                 const std::vector<double>& divisors = {});

/// An arrow of the biplot: from the plot's origin to `tip`, in data coordinates.
struct BiplotArrow {
    std::array<double, 2> tip{};
    QString label;
};

/// The `count` longest loadings (ties: lower feature first) as arrows named by `names` (feature
/// index as text when missing), all scaled by one factor (so that their lengths compare): the
/// largest that keeps every tip within 90% of the point cloud's box around the origin (the 98th
/// percentile of |score| along each axis). `scores`: n x 2 row-major.
std::vector<BiplotArrow> biplotArrows(const std::vector<Loading>& loadings, const std::vector<QString>& names,
                                      const float* scores, std::int64_t n, int count = 8);

/// Draws arrows from `origin` to each `tips[k]` (pixels) labelled `labels[k]`, in a colour that
/// reads on the background (`dark`), with halos. `font` for the labels. Labels stay inside
/// `bounds` (the plot) and never overlap: arrows in nearly one direction (pixels of an image
/// folder) get their labels stacked beside the tips, moved in from an edge they would cross.
void drawBiplot(QPainter& painter, const QPointF& origin, const std::vector<QPointF>& tips,
                const std::vector<QString>& labels, bool dark, const QFont& font, const QRectF& bounds);

}  // namespace latentscape::ui
