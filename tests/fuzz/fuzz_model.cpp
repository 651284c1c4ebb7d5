// libFuzzer target: the model files, the autoencoder's .lsae (Model::load), the maps' .lsmap
// (placement::load_model) and the GAN's .lsgan (gan::Model::load). The first byte picks which
// (modulo 3: 0 autoencoder, 1 map, 2 GAN); the rest is the file. A model that loads must encode
// (transform, generate) a row of zeros without crashing (maps declaring much work excepted).
#include "fuzz_file.h"

#include "reduce/autoencoder.h"
#include "reduce/gan.h"
#include "reduce/transform.h"

#include <exception>
#include <vector>

namespace ae = latentscape::reduce::autoencoder;
namespace placement = latentscape::reduce::placement;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const int kind = data[0] % 3;
    const bool map = kind == 1;
    const std::string path = fuzz::write_input(data + 1, size - 1, kind == 2 ? ".lsgan" : map ? ".lsmap" : ".lsae");
    try {
        if (kind == 2) {
            const latentscape::reduce::gan::Model m = latentscape::reduce::gan::Model::load(path);
            if (m.noise_dims <= 4096 && m.data_dims <= 4096) {
                const std::vector<float> z(std::size_t(m.noise_dims), 0.0f);
                try {
                    const std::vector<float> row = m.generate(z.data(), 1);
                    (void)m.discriminate(row.data(), 1);
                } catch (const std::exception&) {
                }
            }
        } else if (map) {
            const placement::Model m = placement::load_model(path);
            const std::int64_t d = placement::input_dims(m);
            // Placing a row costs what the map declares (epochs x neighbours x negatives, or
            // iterations x rows): within the loader's bounds that can take minutes, legitimately,
            // so only maps whose declared work is small are placed.
            const double work = m.method == placement::Model::Method::Umap
                                    ? double(m.umap.n_epochs) * double(m.umap.n_neighbors) * (1.0 + m.umap.negative_sample_rate)
                                : m.method == placement::Model::Method::Tsne ? double(m.tsne.iterations) * double(m.reference.n)
                                                                             : 0.0;
            if (d > 0 && d <= 4096 && work <= 2e7) {
                const std::vector<float> row(std::size_t(d), 0.0f);
                try {
                    switch (m.method) {
                        case placement::Model::Method::Pca: (void)latentscape::reduce::transform(m.pca, row.data(), 1, d); break;
                        case placement::Model::Method::Tsne: (void)placement::place_tsne(m.reference, row.data(), 1, d, m.tsne); break;
                        case placement::Model::Method::Umap: (void)placement::place_umap(m.reference, row.data(), 1, d, m.umap); break;
                    }
                } catch (const std::exception&) {
                }
            }
        } else {
            const ae::Model m = ae::Model::load(path);
            if (m.input_dims <= 4096) {
                const std::vector<float> row(std::size_t(m.input_dims), 0.0f);
                try {
                    (void)m.encode(row.data(), 1);
                } catch (const std::exception&) {
                }
            }
        }
    } catch (const std::exception&) {
    }
    return 0;
}
