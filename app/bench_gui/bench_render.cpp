// latentscape-bench render: frames per second of the scatter view while every point moves (as
// during a live t-SNE), at 100,000 and 1,000,000 points. Run it under Xvfb for Mesa's software
// renderer (llvmpipe), the CI's and most servers' case:
//   xvfb-run -a -s "-screen 0 1600x1200x24" latentscape-bench render
#include "benches.h"

#include "common/json.h"
#include "common/rng.h"
#include "vtk/ColorMaps.h"
#include "vtk/ScatterView.h"
#include "vtk/VtkView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSurfaceFormat>
#include <QTimer>
#include <QtTest/QTest>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace latentscape::bench {

int bench_render(const BenchArgs& args) {
    QSurfaceFormat::setDefaultFormat(ui::VtkView::defaultFormat());
    static int argc = 1;
    static char name[] = "latentscape-bench";
    static char* argv[] = {name, nullptr};
    QApplication app(argc, argv);
    ui::ScatterView view;
    view.resize(1200, 800);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view)) {
        std::fprintf(stderr, "latentscape-bench render: no window could be shown (run it under xvfb-run)\n");
        return 1;
    }

    std::vector<std::int64_t> sizes = {100000, 1000000};
    if (args.n > 0) sizes = {args.n};
    json::Writer w;
    w.begin_object();
    w.key("width").value(view.width()).key("height").value(view.height());
    w.key("cases").begin_array();
    if (!args.json)
        std::printf("scatter view, %d x %d, points moving every frame (in-place coordinate updates)\n", view.width(),
                    view.height());
    for (const std::int64_t n : sizes)
    for (const std::size_t limit : {std::size_t(0), view.movingPointLimit()}) {
        view.setMovingPointLimit(limit);
        // Twelve Gaussian clusters, coloured by cluster.
        Rng rng(1);
        std::vector<float> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
        std::vector<std::uint8_t> rgb(std::size_t(3 * n));
        for (std::int64_t i = 0; i < n; ++i) {
            const int c = int(i % 12);
            x[std::size_t(i)] = float(10.0 * std::cos(c) + rng.normal());
            y[std::size_t(i)] = float(10.0 * std::sin(c) + rng.normal());
            const ui::Rgb col = ui::categoricalColor(c);
            rgb[std::size_t(3 * i)] = col.r;
            rgb[std::size_t(3 * i + 1)] = col.g;
            rgb[std::size_t(3 * i + 2)] = col.b;
        }
        view.setPoints(x.data(), y.data(), std::size_t(n));
        view.setColors(rgb.data(), std::size_t(n));
        view.resetCamera();

        int frames = 0;
        double updateSeconds = 0.0;
        QElapsedTimer clock;
        QEventLoop loop;
        QObject::connect(&view, &ui::VtkView::frameShown, &loop, &QEventLoop::quit);
        // Warm-up frame, then frames for ~3 s (at least 5).
        view.update();
        loop.exec();
        clock.start();
        while (frames < 5 || clock.elapsed() < 3000) {
            QElapsedTimer update;
            update.start();
            const float s = 0.002f * float(frames % 50);
            for (std::int64_t i = 0; i < n; ++i) x[std::size_t(i)] += (i & 1) ? s : -s;
            view.setPoints(x.data(), y.data(), std::size_t(n));
            updateSeconds += double(update.nsecsElapsed()) * 1e-9;
            loop.exec();  // until the frame is on screen
            ++frames;
        }
        const double seconds = double(clock.nsecsElapsed()) * 1e-9;
        const double fps = frames / seconds;
        QObject::disconnect(&view, &ui::VtkView::frameShown, &loop, &QEventLoop::quit);
        w.begin_object();
        w.key("points").value(n).key("frames").value(frames).key("seconds").value(seconds).key("fps").value(fps);
        w.key("update_ms").value(1e3 * updateSeconds / frames);
        w.key("moving_point_limit").value(std::int64_t(limit)).key("drawn").value(std::int64_t(view.drawnCount()));
        w.end_object();
        if (!args.json)
            std::printf("%9lld points, %-28s %6.1f frames/s (%d frames in %.2f s); coordinate update %.2f ms\n",
                        static_cast<long long>(n),
                        limit == 0 ? "all drawn:" : ("moving: " + std::to_string(view.drawnCount()) + " drawn:").c_str(),
                        fps, frames, seconds, 1e3 * updateSeconds / frames);
    }
    w.end_array();
    w.end_object();
    if (args.json) std::printf("%s\n", w.str().c_str());
    return 0;
}

}  // namespace latentscape::bench
