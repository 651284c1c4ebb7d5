// Selection model, undo/redo, picking by screen shapes (box, lasso, click; 2-D and 3-D cameras)
// against brute-force references, and the statistics of a selection.
#include "common/parallel.h"
#include "common/rng.h"
#include "metrics/contrast.h"
#include "select/screen.h"
#include "select/selection.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace latentscape;
using namespace latentscape::select;

namespace {

/// Maps data x in [0, 10] to pixels 0..100 left to right and y in [0, 10] to pixels 100..0
/// (screen y grows downwards) on a 100 x 100 widget: an orthographic 2-D camera.
Projection flat() {
    Projection p;
    p.matrix = {0.2, 0, 0, -1, 0, 0.2, 0, -1, 0, 0, 0, 0, 0, 0, 0, 1};
    p.width = 100;
    p.height = 100;
    return p;
}

/// A perspective camera at z = 5 looking down -z at the origin (90 degree field of view,
/// near 1, far 20), OpenGL's conventions, on a 200 x 200 widget.
Projection perspective() {
    const double n = 1, f = 20;
    Projection p;
    // Projection * view, where view translates by -5 in z.
    p.matrix = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -(f + n) / (f - n), -(f + n) / (f - n) * -5.0 - 2 * f * n / (f - n), 0, 0, -1, 5};
    p.width = 200;
    p.height = 200;
    return p;
}

/// The textbook even-odd test over every edge: the independent reference.
bool naive_inside(const Polygon& poly, double x, double y) {
    bool in = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const auto& a = poly[i];
        const auto& b = poly[j];
        if ((a[1] > y) != (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) in = !in;
    }
    return in;
}

std::vector<std::int64_t> naive_select(const std::vector<float>& c, int dims, const Projection& p, const Polygon& poly) {
    std::vector<std::int64_t> out;
    for (std::int64_t i = 0; i < std::int64_t(c.size()) / dims; ++i) {
        double x, y, depth;
        if (project(c.data(), dims, i, p, x, y, depth) && naive_inside(poly, x, y)) out.push_back(i);
    }
    return out;
}

}  // namespace

class TestSelection : public QObject {
    Q_OBJECT

private slots:
    void set_operations();
    void history_undo_redo();
    void box_on_a_grid_selects_exact_ids();
    void lasso_equals_brute_force_data();
    void lasso_equals_brute_force();
    void perspective_camera_3d();
    void click_picks_nearest_in_front();
    void contrast_ranks_features_by_effect_size();
    void category_counts_and_nearest_rows();
};

void TestSelection::set_operations() {
    const std::int64_t n = 70;  // not a multiple of 64: the tail bits must stay clear
    const Selection a = Selection::from_ids({1, 5, 64, 69}, n);
    const Selection b = Selection::from_ids({5, 6, 69}, n);
    QCOMPARE(a.count(), std::int64_t(4));
    QCOMPARE(a.combined(b, Mode::Replace).ids(), (std::vector<std::int64_t>{5, 6, 69}));
    QCOMPARE(a.combined(b, Mode::Add).ids(), (std::vector<std::int64_t>{1, 5, 6, 64, 69}));
    QCOMPARE(a.combined(b, Mode::Subtract).ids(), (std::vector<std::int64_t>{1, 64}));
    QCOMPARE(a.combined(b, Mode::Intersect).ids(), (std::vector<std::int64_t>{5, 69}));
    QCOMPARE(a.inverted().count(), n - 4);
    QVERIFY(!a.inverted().contains(64));
    QVERIFY(a.inverted().contains(0));
    QCOMPARE(Selection::all(n).count(), n);
    QCOMPARE(Selection::all(n).inverted().count(), std::int64_t(0));
    QVERIFY(Selection::from_mask(a.mask().data(), n) == a);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, Selection::from_ids({70}, n));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, a.combined(Selection(3), Mode::Add));
}

void TestSelection::history_undo_redo() {
    const std::int64_t n = 200;
    History h(n);
    QVERIFY(!h.can_undo());
    QVERIFY(!h.apply(Selection(n)));  // nothing changes: no step
    for (std::int64_t i = 0; i < 60; ++i) QVERIFY(h.apply(h.current().combined(Selection::from_ids({i}, n), Mode::Add)));
    QCOMPARE(h.current().count(), std::int64_t(60));
    for (int k = 0; k < 50; ++k) QVERIFY(h.undo());  // at least 50 steps back
    QCOMPARE(h.current().count(), std::int64_t(10));
    QVERIFY(h.redo());
    QCOMPARE(h.current().count(), std::int64_t(11));
    QVERIFY(h.apply(Selection::all(n)));
    QVERIFY(!h.can_redo());  // a new change drops the redo steps
    QVERIFY(h.undo());
    QCOMPARE(h.current().count(), std::int64_t(11));
    h.reset(5);
    QCOMPARE(h.current().size(), std::int64_t(5));
    QVERIFY(!h.can_undo() && !h.can_redo());
}

void TestSelection::box_on_a_grid_selects_exact_ids() {
    // Points on the integer grid 0..10 x 0..10, id = 11 y + x.
    std::vector<float> c;
    for (int y = 0; y <= 10; ++y)
        for (int x = 0; x <= 10; ++x) c.push_back(float(x)), c.push_back(float(y));
    const std::int64_t n = std::int64_t(c.size()) / 2;
    // Pixels 15..45 across and down: x in (1.5, 4.5), y in (5.5, 8.5).
    const Selection s = inside_polygon(c.data(), n, 2, flat(), box(15, 15, 45, 45));
    std::vector<std::int64_t> want;
    for (int y = 6; y <= 8; ++y)
        for (int x = 2; x <= 4; ++x) want.push_back(11 * y + x);
    QCOMPARE(s.ids(), want);
    // Dragged the other way round: the same box.
    QCOMPARE(inside_polygon(c.data(), n, 2, flat(), box(45, 45, 15, 15)).ids(), want);
    // Hidden rows are never picked.
    std::vector<std::uint8_t> visible(std::size_t(n), 1);
    visible[std::size_t(11 * 7 + 3)] = 0;
    QCOMPARE(inside_polygon(c.data(), n, 2, flat(), box(15, 15, 45, 45), visible.data()).count(), std::int64_t(8));
    // Fewer than three points select nothing; a bad dimension is an error.
    QCOMPARE(inside_polygon(c.data(), n, 2, flat(), {{1, 1}, {50, 50}}).count(), std::int64_t(0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, inside_polygon(c.data(), n, 4, flat(), box(0, 0, 1, 1)));
}

void TestSelection::lasso_equals_brute_force_data() {
    QTest::addColumn<int>("shape");
    QTest::newRow("star with 400 vertices") << 0;
    QTest::newRow("concave L") << 1;
    QTest::newRow("self-crossing bow tie") << 2;
}

void TestSelection::lasso_equals_brute_force() {
    QFETCH(int, shape);
    Polygon poly;
    if (shape == 0) {
        for (int i = 0; i < 400; ++i) {
            const double a = 2 * M_PI * i / 400, r = i % 2 ? 20 : 45;
            poly.push_back({50 + r * std::cos(a), 50 + r * std::sin(a)});
        }
    } else if (shape == 1) {
        poly = {{10, 10}, {60, 10}, {60, 40}, {40, 40}, {40, 90}, {10, 90}};
    } else {
        poly = {{10, 10}, {90, 90}, {90, 10}, {10, 90}};
    }
    Rng rng(4);
    std::vector<float> c;
    for (int i = 0; i < 30000; ++i) c.push_back(float(rng.uniform(-1, 11))), c.push_back(float(rng.uniform(-1, 11)));
    const std::int64_t n = std::int64_t(c.size()) / 2;
    const auto want = naive_select(c, 2, flat(), poly);
    QVERIFY(want.size() > 1000);
    const int before = parallel::max_threads();
    parallel::set_max_threads(2);
    const Selection two = inside_polygon(c.data(), n, 2, flat(), poly);
    parallel::set_max_threads(1);
    const Selection one = inside_polygon(c.data(), n, 2, flat(), poly);
    parallel::set_max_threads(before);
    QCOMPARE(two.ids(), want);
    QVERIFY(one == two);
}

void TestSelection::perspective_camera_3d() {
    // Points through a cube around the origin and a few behind the camera (z > 5).
    Rng rng(9);
    std::vector<float> c;
    for (int i = 0; i < 20000; ++i)
        for (int k = 0; k < 3; ++k) c.push_back(float(rng.uniform(-3, 3)));
    for (int i = 0; i < 50; ++i) c.push_back(0.1f), c.push_back(0.1f), c.push_back(7.0f);  // behind: never picked
    const std::int64_t n = std::int64_t(c.size()) / 3;
    const Projection p = perspective();
    // The centre of the screen is the direction the camera looks in: point (0, 0, 0) maps there.
    double x, y, depth;
    const float origin[3] = {0, 0, 0};
    QVERIFY(project(origin, 3, 0, p, x, y, depth));
    QCOMPARE(x, 100.0);
    QCOMPARE(y, 100.0);
    // Nearer points spread further: (1, 1, 0) at distance 5 -> 1/5 of the half-width off centre.
    const float corner[3] = {1, 1, 0};
    QVERIFY(project(corner, 3, 0, p, x, y, depth));
    QVERIFY(std::abs(x - 120.0) < 1e-9 && std::abs(y - 80.0) < 1e-9);
    const Polygon lasso = {{60, 60}, {150, 70}, {140, 150}, {100, 120}, {70, 140}};
    const Selection s = inside_polygon(c.data(), n, 3, p, lasso);
    const auto want = naive_select(c, 3, p, lasso);
    QVERIFY(want.size() > 500);
    QCOMPARE(s.ids(), want);
    for (std::int64_t i = n - 50; i < n; ++i) QVERIFY(!s.contains(i));
}

void TestSelection::click_picks_nearest_in_front() {
    // Two points on the same line of sight: the one nearer the camera wins; then the nearest.
    std::vector<float> c = {0, 0, 1, 0, 0, -2, 1, 0, 0};
    const Projection p = perspective();
    QCOMPARE(nearest_on_screen(c.data(), 3, 3, p, 100, 100, 5), std::int64_t(0));
    std::vector<std::uint8_t> visible = {0, 1, 1};
    QCOMPARE(nearest_on_screen(c.data(), 3, 3, p, 100, 100, 5, visible.data()), std::int64_t(1));
    // (1, 0, 0) projects to x = 120: out of reach from 100 with radius 5, within reach with 25.
    QCOMPARE(nearest_on_screen(c.data(), 3, 3, p, 121, 100, 5), std::int64_t(2));
    QCOMPARE(nearest_on_screen(c.data(), 3, 3, p, 110, 150, 5), std::int64_t(-1));
}

void TestSelection::contrast_ranks_features_by_effect_size() {
    // Feature 0: +1 in the selection (noise sd ~1); feature 1: identical; feature 2: +5;
    // feature 3: constant within groups but different: an infinite effect.
    const std::int64_t n = 4000, d = 4;
    Rng rng(12);
    std::vector<float> X(std::size_t(n * d));
    Selection sel(n);
    for (std::int64_t i = 0; i < n; ++i) {
        const bool in = i % 4 == 0;
        sel.set(i, in);
        X[std::size_t(i * d)] = float(100.0 + (in ? 1.0 : 0.0) + rng.normal());
        X[std::size_t(i * d + 1)] = float(rng.normal());
        X[std::size_t(i * d + 2)] = float((in ? 5.0 : 0.0) + rng.normal());
        X[std::size_t(i * d + 3)] = in ? 2.0f : 1.0f;
    }
    const auto c = metrics::contrast(X.data(), n, d, sel);
    QCOMPARE(c.size(), std::size_t(4));
    QCOMPARE(c[0].feature, std::int64_t(3));
    QVERIFY(std::isinf(c[0].effect_size) && c[0].effect_size > 0);
    QCOMPARE(c[1].feature, std::int64_t(2));
    QCOMPARE(c[2].feature, std::int64_t(0));
    QCOMPARE(c[3].feature, std::int64_t(1));
    // Against a two-pass computation here.
    for (const auto& f : c) {
        if (std::isinf(f.effect_size)) continue;
        double s1 = 0, s2 = 0;
        std::int64_t n1 = 0, n2 = 0;
        for (std::int64_t i = 0; i < n; ++i) (sel.contains(i) ? (s1 += X[std::size_t(i * d + f.feature)], ++n1) : (s2 += X[std::size_t(i * d + f.feature)], ++n2));
        const double m1 = s1 / double(n1), m2 = s2 / double(n2);
        double q = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const double v = X[std::size_t(i * d + f.feature)] - (sel.contains(i) ? m1 : m2);
            q += v * v;
        }
        const double want = (m1 - m2) / std::sqrt(q / double(n - 2));
        QVERIFY2(std::abs(f.effect_size - want) < 1e-9 * std::max(1.0, std::abs(want)), qPrintable(QString("%1 vs %2").arg(f.effect_size).arg(want)));
        QVERIFY(std::abs(f.mean_selected - m1) < 1e-9 * std::abs(m1) + 1e-12);
    }
    QVERIFY(std::abs(c[1].effect_size - 5.0) < 0.2);
    QCOMPARE(metrics::contrast(X.data(), n, d, sel, 2).size(), std::size_t(2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, metrics::contrast(X.data(), n, d, Selection(n)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, metrics::contrast(X.data(), n, d, Selection::all(n)));
}

void TestSelection::category_counts_and_nearest_rows() {
    const std::vector<std::int32_t> codes = {0, 1, 1, 2, -1, 1};
    const Selection sel = Selection::from_ids({1, 2, 4, 5}, 6);
    QCOMPARE(metrics::category_counts(codes, 3, sel), (std::vector<std::int64_t>{0, 3, 0, 1}));
    // Points on a line: the neighbours of 5.0 are 4 and 6, then 3 and 7 (ties by index).
    std::vector<float> X;
    for (int i = 0; i < 10; ++i) X.push_back(float(i)), X.push_back(0.0f);
    QCOMPARE(metrics::nearest_rows(X.data(), 10, 2, 5, 4), (std::vector<std::int64_t>{4, 6, 3, 7}));
    QCOMPARE(metrics::nearest_rows(X.data(), 10, 2, 0, 50).size(), std::size_t(9));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, metrics::nearest_rows(X.data(), 10, 2, 10, 3));
}

QTEST_GUILESS_MAIN(TestSelection)
#include "tst_selection.moc"
