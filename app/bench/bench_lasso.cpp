// latentscape-bench lasso: selecting the points inside a free-hand lasso (a 500-vertex star) drawn
// over 1,000,000 points, in 2-D and through a 3-D perspective camera, against matplotlib's
// Path.contains_points (the C++ test behind Python lasso selectors) on the same projected points.
#include "benches.h"

#include "common/json.h"
#include "common/rng.h"
#include "data/dataset.h"
#include "data/write.h"
#include "select/screen.h"

#include <omp.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace latentscape::bench {
namespace {

select::Polygon star(double cx, double cy, double r_out, double r_in, int vertices) {
    select::Polygon p;
    for (int i = 0; i < vertices; ++i) {
        const double a = 2 * M_PI * i / vertices, r = i % 2 ? r_in : r_out;
        p.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
    }
    return p;
}

}  // namespace

int bench_lasso(const BenchArgs& args) {
    namespace fs = std::filesystem;
    fs::create_directories(args.dir);
    const std::int64_t n = args.n > 0 ? args.n : 1'000'000;
    // Gaussian clusters on [-10, 10]^3, like an embedding.
    Rng rng(1);
    std::vector<float> c2(std::size_t(n * 2)), c3(std::size_t(n * 3));
    for (std::int64_t i = 0; i < n; ++i) {
        const double cx = double(i % 7) * 2.5 - 7.5, cy = double(i % 5) * 3.0 - 6.0, cz = double(i % 3) * 4.0 - 4.0;
        c2[std::size_t(2 * i)] = c3[std::size_t(3 * i)] = float(cx + rng.normal());
        c2[std::size_t(2 * i + 1)] = c3[std::size_t(3 * i + 1)] = float(cy + rng.normal());
        c3[std::size_t(3 * i + 2)] = float(cz + rng.normal());
    }
    // A 1600 x 1000 view: the 2-D camera maps [-10, 10] x [-10, 10] onto it (orthographic), the
    // 3-D one looks from z = 30 with a 45-degree field of view.
    select::Projection flat;
    flat.width = 1600, flat.height = 1000;
    flat.matrix = {0.1, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    select::Projection persp = flat;
    const double f = 1.0 / std::tan(22.5 * M_PI / 180), aspect = 1.6, zn = 1, zf = 100, eye = 30;
    persp.matrix = {f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, -(zf + zn) / (zf - zn), (zf + zn) / (zf - zn) * eye - 2 * zf * zn / (zf - zn),
                    0, 0, -1, eye};
    const select::Polygon lasso = star(800, 500, 420, 260, 500);

    select::Selection s2, s3;
    const double ours2 = best_seconds(args.repeat, [&] { s2 = select::inside_polygon(c2.data(), n, 2, flat, lasso); });
    const double ours3 = best_seconds(args.repeat, [&] { s3 = select::inside_polygon(c3.data(), n, 3, persp, lasso); });

    // The reference: matplotlib on the same points, projected by numpy with the same matrix.
    double ref = -1, ref_count = -1;
    if (args.reference) {
        const std::string pts = args.dir + "/lasso_points_2d.f32", poly = args.dir + "/lasso_polygon.f64";
        std::ofstream(pts, std::ios::binary).write(reinterpret_cast<const char*>(c2.data()), std::streamsize(c2.size() * 4));
        std::ofstream(poly, std::ios::binary).write(reinterpret_cast<const char*>(lasso.data()), std::streamsize(lasso.size() * 16));
        const std::string count_path = args.dir + "/lasso_matplotlib_count.txt";
        fs::remove(count_path);
        ref = python_number(
            "import time, numpy\nfrom matplotlib.path import Path\n"
            "P = numpy.fromfile(\"" + pts + "\", dtype=numpy.float32).reshape(-1, 2).astype(numpy.float64)\n"
            "poly = numpy.fromfile(\"" + poly + "\", dtype=numpy.float64).reshape(-1, 2)\n"
            "path = Path(poly, closed=False)\nbest = 1e9\n"
            "for _ in range(" + std::to_string(args.repeat) + "):\n"
            " t = time.perf_counter()\n"
            " px = (P[:, 0] * 0.1 + 1) * 0.5 * 1600; py = (1 - P[:, 1] * 0.1) * 0.5 * 1000\n"
            " inside = path.contains_points(numpy.column_stack((px, py)))\n"
            " best = min(best, time.perf_counter() - t)\n"
            "open(\"" + count_path + "\", \"w\").write(str(int(inside.sum())))\nprint(best)");
        if (std::ifstream in(count_path); in) in >> ref_count;
    }
    if (args.json) {
        json::Writer w;
        w.begin_object();
        w.key("threads").value(omp_get_max_threads()).key("n").value(n).key("lasso_vertices").value(lasso.size());
        w.key("latentscape_2d_s").value(ours2).key("latentscape_3d_s").value(ours3);
        w.key("selected_2d").value(s2.count()).key("selected_3d").value(s3.count());
        w.key("matplotlib_s").value(ref).key("matplotlib_selected").value(std::int64_t(ref_count));
        w.key("speedup_2d").value(ref > 0 ? ref / ours2 : -1.0);
        w.end_object();
        std::printf("%s\n", w.str().c_str());
        return 0;
    }
    std::printf("lasso benchmark, %d OpenMP thread(s), best of %d; %lld points, a %zu-vertex lasso on a 1600 x 1000 view\n",
                omp_get_max_threads(), args.repeat, (long long)n, lasso.size());
    std::printf("%-36s %12s %12s\n", "", "selected", "ms");
    std::printf("%-36s %12lld %12.1f\n", "latentscape, 2-D camera", (long long)s2.count(), ours2 * 1e3);
    std::printf("%-36s %12lld %12.1f\n", "latentscape, 3-D perspective camera", (long long)s3.count(), ours3 * 1e3);
    if (ref > 0) {
        std::printf("%-36s %12lld %12.1f\n", "matplotlib Path.contains_points, 2-D", (long long)ref_count, ref * 1e3);
        std::printf("speedup (2-D): %.1fx\n", ref / ours2);
    } else if (args.reference) {
        std::printf("(the reference was not available: run packaging/install-deps.sh --bench)\n");
    }
    return 0;
}

}  // namespace latentscape::bench
