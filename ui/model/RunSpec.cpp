#include "model/RunSpec.h"

#include <QJsonArray>
#include <QLocale>
#include <QStringList>

#include <array>
#include <stdexcept>
#include <utility>

namespace latentscape::ui {
namespace {

// Enum names as they appear in session files: fixed strings, never the enum's integer value,
// so reordering an enum never changes what an old file means.
template <class E, std::size_t N>
QString enumName(E value, const std::array<std::pair<E, const char*>, N>& names) {
    for (const auto& [v, name] : names)
        if (v == value) return QString::fromLatin1(name);
    return QString::fromLatin1(names.front().second);
}

template <class E, std::size_t N>
E enumValue(const QJsonObject& o, const char* key, E fallback, const std::array<std::pair<E, const char*>, N>& names) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined()) return fallback;
    if (!v.isString()) throw std::runtime_error(std::string("run option '") + key + "' must be a string");
    const QString s = v.toString();
    for (const auto& [value, name] : names)
        if (s == QLatin1String(name)) return value;
    throw std::runtime_error(std::string("run option '") + key + "' has an unknown value '" + s.toStdString() + "'");
}

const std::array<std::pair<reduce::PcaOptions::Method, const char*>, 3> kPcaMethods{{
    {reduce::PcaOptions::Method::Auto, "auto"},
    {reduce::PcaOptions::Method::Exact, "exact"},
    {reduce::PcaOptions::Method::Randomized, "randomized"},
}};
const std::array<std::pair<reduce::tsne::Gradient, const char*>, 4> kGradients{{
    {reduce::tsne::Gradient::Auto, "auto"},
    {reduce::tsne::Gradient::Exact, "exact"},
    {reduce::tsne::Gradient::BarnesHut, "barnes-hut"},
    {reduce::tsne::Gradient::Fft, "fft"},
}};
const std::array<std::pair<reduce::tsne::Neighbors, const char*>, 3> kNeighbors{{
    {reduce::tsne::Neighbors::Auto, "auto"},
    {reduce::tsne::Neighbors::Exact, "exact"},
    {reduce::tsne::Neighbors::Approximate, "approximate"},
}};
const std::array<std::pair<reduce::tsne::Init, const char*>, 2> kInits{{
    {reduce::tsne::Init::Pca, "pca"},
    {reduce::tsne::Init::Random, "random"},
}};
namespace ae = reduce::autoencoder;
const std::array<std::pair<ae::Activation, const char*>, 4> kActivations{{
    {ae::Activation::Relu, "relu"},
    {ae::Activation::Gelu, "gelu"},
    {ae::Activation::Tanh, "tanh"},
    {ae::Activation::Linear, "linear"},
}};
const std::array<std::pair<ae::Output, const char*>, 3> kOutputs{{
    {ae::Output::Auto, "auto"},
    {ae::Output::Sigmoid, "sigmoid"},
    {ae::Output::Linear, "linear"},
}};
const std::array<std::pair<ae::Loss, const char*>, 2> kLosses{{
    {ae::Loss::Mse, "mse"},
    {ae::Loss::Bce, "bce"},
}};

const std::array<std::pair<reduce::umap::Init, const char*>, 3> kUmapInits{{
    {reduce::umap::Init::Spectral, "spectral"},
    {reduce::umap::Init::Pca, "pca"},
    {reduce::umap::Init::Random, "random"},
}};
const std::array<std::pair<neighbors::Method, const char*>, 3> kKnnMethods{{
    {neighbors::Method::Auto, "auto"},
    {neighbors::Method::Exact, "exact"},
    {neighbors::Method::Approximate, "approximate"},
}};

double number(const QJsonObject& o, const char* key, double fallback) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) return fallback;
    if (!v.isDouble()) throw std::runtime_error(std::string("run option '") + key + "' must be a number");
    return v.toDouble();
}

int integer(const QJsonObject& o, const char* key, int fallback) {
    const double d = number(o, key, fallback);
    if (d != double(int(d))) throw std::runtime_error(std::string("run option '") + key + "' must be an integer");
    return int(d);
}

bool boolean(const QJsonObject& o, const char* key, bool fallback) {
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined()) return fallback;
    if (!v.isBool()) throw std::runtime_error(std::string("run option '") + key + "' must be true or false");
    return v.toBool();
}

std::uint64_t seedOf(const QJsonObject& o, std::uint64_t fallback) {
    const QJsonValue v = o.value(QLatin1String("seed"));
    if (v.isUndefined()) return fallback;
    bool ok = false;
    const std::uint64_t seed = v.isString() ? v.toString().toULongLong(&ok) : 0;
    if (!ok) throw std::runtime_error("run option 'seed' must be a decimal string");
    return seed;
}

}  // namespace

QString RunSpec::methodName() const {
    switch (method) {
        case Method::Pca: return QStringLiteral("PCA");
        case Method::Tsne: return QStringLiteral("t-SNE");
        case Method::Autoencoder: return autoencoder.variational ? QStringLiteral("VAE") : QStringLiteral("Autoencoder");
        case Method::Umap: return QStringLiteral("UMAP");
        // The key it came under names its axes ("X_umap 1") and its export columns.
        case Method::Imported: return importedFrom.isEmpty() ? QStringLiteral("Imported") : importedFrom;
    }
    return {};
}

std::uint64_t RunSpec::seed() const {
    switch (method) {
        case Method::Pca: return pca.seed;
        case Method::Tsne: return tsne.seed;
        case Method::Autoencoder: return autoencoder.seed;
        case Method::Umap: return umap.seed;
        case Method::Imported: return 0;
    }
    return 0;
}

QString RunSpec::summary() const {
    const QLocale locale;
    QStringList parts;
    parts << QObject::tr("%1-D").arg(dims);
    switch (isComputed() ? preprocess : data::Preprocess::None) {
        case data::Preprocess::None: break;
        case data::Preprocess::Standardize: parts << QObject::tr("standardised input"); break;
        case data::Preprocess::MinMax: parts << QObject::tr("min-max scaled input"); break;
        case data::Preprocess::Log1p: parts << QObject::tr("log1p input"); break;
    }
    switch (method) {
        case Method::Pca:
            if (pca.scale) parts << QObject::tr("standardised");
            if (pca.whiten) parts << QObject::tr("whitened");
            break;
        case Method::Tsne:
            parts << QObject::tr("perplexity %1").arg(locale.toString(tsne.perplexity, 'g', 4))
                  << QObject::tr("%1 iterations").arg(locale.toString(tsne.iterations))
                  << QObject::tr("seed %1").arg(tsne.seed);
            break;
        case Method::Autoencoder:
            parts << QObject::tr("%1 epochs").arg(autoencoder.epochs) << QObject::tr("batch %1").arg(autoencoder.batch_size)
                  << QObject::tr("seed %1").arg(autoencoder.seed);
            break;
        case Method::Umap:
            parts << QObject::tr("%1 neighbours").arg(umap.n_neighbors)
                  << QObject::tr("min_dist %1").arg(locale.toString(umap.min_dist, 'g', 3))
                  << (umap.n_epochs ? QObject::tr("%1 epochs").arg(*umap.n_epochs) : QObject::tr("auto epochs"))
                  << QObject::tr("seed %1").arg(umap.seed);
            break;
        case Method::Imported:
            parts << (importedColumns > dims
                          ? QObject::tr("imported from the file's %1 (first %2 of %3 columns)").arg(importedFrom).arg(dims).arg(importedColumns)
                          : QObject::tr("imported from the file's %1").arg(importedFrom));
            break;
    }
    return parts.join(QStringLiteral(", "));
}

QJsonObject RunSpec::toJson() const {
    QJsonObject o;
    o.insert(QStringLiteral("dims"), dims);
    if (isComputed()) o.insert(QStringLiteral("preprocess"), QString::fromLatin1(data::preprocess_name(preprocess)));
    switch (method) {
        case Method::Pca:
            o.insert(QStringLiteral("method"), QStringLiteral("pca"));
            o.insert(QStringLiteral("center"), pca.center);
            o.insert(QStringLiteral("scale"), pca.scale);
            o.insert(QStringLiteral("whiten"), pca.whiten);
            o.insert(QStringLiteral("solver"), enumName(pca.method, kPcaMethods));
            o.insert(QStringLiteral("oversamples"), pca.oversamples);
            o.insert(QStringLiteral("power_iterations"), pca.power_iterations);
            o.insert(QStringLiteral("seed"), QString::number(pca.seed));
            break;
        case Method::Tsne:
            o.insert(QStringLiteral("method"), QStringLiteral("tsne"));
            o.insert(QStringLiteral("perplexity"), tsne.perplexity);
            o.insert(QStringLiteral("iterations"), tsne.iterations);
            o.insert(QStringLiteral("exaggeration"), tsne.exaggeration);
            o.insert(QStringLiteral("exaggeration_iterations"), tsne.exaggeration_iterations);
            o.insert(QStringLiteral("momentum"), tsne.momentum);
            o.insert(QStringLiteral("final_momentum"), tsne.final_momentum);
            if (tsne.learning_rate) o.insert(QStringLiteral("learning_rate"), *tsne.learning_rate);
            o.insert(QStringLiteral("min_gain"), tsne.min_gain);
            o.insert(QStringLiteral("gradient"), enumName(tsne.gradient, kGradients));
            o.insert(QStringLiteral("theta"), tsne.theta);
            o.insert(QStringLiteral("fft_spline_order"), tsne.fft_spline_order);
            o.insert(QStringLiteral("fft_min_nodes"), tsne.fft_min_nodes);
            o.insert(QStringLiteral("fft_nodes_per_unit"), tsne.fft_nodes_per_unit);
            o.insert(QStringLiteral("neighbors"), enumName(tsne.neighbors, kNeighbors));
            if (tsne.pca_dims) o.insert(QStringLiteral("pca_dims"), *tsne.pca_dims);
            o.insert(QStringLiteral("init"), enumName(tsne.init, kInits));
            o.insert(QStringLiteral("seed"), QString::number(tsne.seed));
            break;
        case Method::Autoencoder: {
            const auto& a = autoencoder;
            o.insert(QStringLiteral("method"), a.variational ? QStringLiteral("vae") : QStringLiteral("autoencoder"));
            if (a.hidden) {
                QJsonArray hidden;
                for (int h : *a.hidden) hidden.append(h);
                o.insert(QStringLiteral("hidden"), hidden);
            }
            o.insert(QStringLiteral("activation"), enumName(a.activation, kActivations));
            o.insert(QStringLiteral("output"), enumName(a.output, kOutputs));
            o.insert(QStringLiteral("loss"), enumName(a.loss, kLosses));
            o.insert(QStringLiteral("beta"), a.beta);
            o.insert(QStringLiteral("epochs"), a.epochs);
            o.insert(QStringLiteral("batch_size"), a.batch_size);
            o.insert(QStringLiteral("learning_rate"), a.learning_rate);
            o.insert(QStringLiteral("adam_beta1"), a.adam_beta1);
            o.insert(QStringLiteral("adam_beta2"), a.adam_beta2);
            o.insert(QStringLiteral("adam_epsilon"), a.adam_epsilon);
            o.insert(QStringLiteral("weight_decay"), a.weight_decay);
            o.insert(QStringLiteral("standardize"), a.standardize);
            o.insert(QStringLiteral("input_scale"), a.input_scale);
            o.insert(QStringLiteral("validation_fraction"), a.validation_fraction);
            o.insert(QStringLiteral("patience"), a.patience);
            o.insert(QStringLiteral("seed"), QString::number(a.seed));
            break;
        }
        case Method::Umap: {
            const auto& u = umap;
            o.insert(QStringLiteral("method"), QStringLiteral("umap"));
            o.insert(QStringLiteral("n_neighbors"), u.n_neighbors);
            o.insert(QStringLiteral("min_dist"), u.min_dist);
            o.insert(QStringLiteral("spread"), u.spread);
            if (u.n_epochs) o.insert(QStringLiteral("n_epochs"), *u.n_epochs);
            o.insert(QStringLiteral("learning_rate"), u.learning_rate);
            o.insert(QStringLiteral("negative_sample_rate"), u.negative_sample_rate);
            o.insert(QStringLiteral("repulsion_strength"), u.repulsion_strength);
            o.insert(QStringLiteral("set_op_mix_ratio"), u.set_op_mix_ratio);
            o.insert(QStringLiteral("local_connectivity"), u.local_connectivity);
            if (u.a) o.insert(QStringLiteral("a"), *u.a);
            if (u.b) o.insert(QStringLiteral("b"), *u.b);
            o.insert(QStringLiteral("init"), enumName(u.init, kUmapInits));
            o.insert(QStringLiteral("neighbors"), enumName(u.neighbors, kKnnMethods));
            if (u.pca_dims) o.insert(QStringLiteral("pca_dims"), *u.pca_dims);
            o.insert(QStringLiteral("seed"), QString::number(u.seed));
            break;
        }
        case Method::Imported:
            o.insert(QStringLiteral("method"), QStringLiteral("imported"));
            o.insert(QStringLiteral("source"), importedFrom);
            o.insert(QStringLiteral("columns"), importedColumns);
            break;
    }
    return o;
}

RunSpec RunSpec::fromJson(const QJsonObject& o) {
    RunSpec s;
    const QString method = o.value(QLatin1String("method")).toString();
    if (method == QLatin1String("pca")) s.method = Method::Pca;
    else if (method == QLatin1String("tsne")) s.method = Method::Tsne;
    else if (method == QLatin1String("autoencoder") || method == QLatin1String("vae")) s.method = Method::Autoencoder;
    else if (method == QLatin1String("umap")) s.method = Method::Umap;
    else if (method == QLatin1String("imported")) s.method = Method::Imported;
    else throw std::runtime_error("unknown run method '" + method.toStdString() + "'");
    s.dims = integer(o, "dims", 2);
    if (s.dims != 2 && s.dims != 3) throw std::runtime_error("run option 'dims' must be 2 or 3");
    if (const QJsonValue v = o.value(QLatin1String("preprocess")); !v.isUndefined()) {
        const auto kind = v.isString() ? data::parse_preprocess(v.toString().toStdString()) : std::nullopt;
        if (!kind) throw std::runtime_error("run option 'preprocess' must be none, standardize, minmax or log1p");
        s.preprocess = *kind;
    }
    switch (s.method) {
        case Method::Pca: {
            auto& p = s.pca;
            p.components = s.dims;
            p.center = boolean(o, "center", p.center);
            p.scale = boolean(o, "scale", p.scale);
            p.whiten = boolean(o, "whiten", p.whiten);
            p.method = enumValue(o, "solver", p.method, kPcaMethods);
            p.oversamples = integer(o, "oversamples", p.oversamples);
            p.power_iterations = integer(o, "power_iterations", p.power_iterations);
            p.seed = seedOf(o, p.seed);
            break;
        }
        case Method::Tsne: {
            auto& t = s.tsne;
            t.dims = s.dims;
            t.perplexity = number(o, "perplexity", t.perplexity);
            t.iterations = integer(o, "iterations", t.iterations);
            t.exaggeration = number(o, "exaggeration", t.exaggeration);
            t.exaggeration_iterations = integer(o, "exaggeration_iterations", t.exaggeration_iterations);
            t.momentum = number(o, "momentum", t.momentum);
            t.final_momentum = number(o, "final_momentum", t.final_momentum);
            if (o.contains(QLatin1String("learning_rate"))) t.learning_rate = number(o, "learning_rate", 0.0);
            t.min_gain = number(o, "min_gain", t.min_gain);
            t.gradient = enumValue(o, "gradient", t.gradient, kGradients);
            t.theta = number(o, "theta", t.theta);
            // Sessions before the B-spline grid carried fft_interpolation_points, fft_min_intervals
            // and fft_intervals_per_unit; those runs' grids no longer exist, so they take these
            // defaults.
            t.fft_spline_order = integer(o, "fft_spline_order", t.fft_spline_order);
            t.fft_min_nodes = integer(o, "fft_min_nodes", t.fft_min_nodes);
            t.fft_nodes_per_unit = number(o, "fft_nodes_per_unit", t.fft_nodes_per_unit);
            t.neighbors = enumValue(o, "neighbors", t.neighbors, kNeighbors);
            if (o.contains(QLatin1String("pca_dims"))) t.pca_dims = integer(o, "pca_dims", 0);
            t.init = enumValue(o, "init", t.init, kInits);
            t.seed = seedOf(o, t.seed);
            break;
        }
        case Method::Autoencoder: {
            auto& a = s.autoencoder;
            a.latent_dims = s.dims;
            a.variational = method == QLatin1String("vae");
            if (o.contains(QLatin1String("hidden"))) {
                const QJsonValue v = o.value(QLatin1String("hidden"));
                if (!v.isArray()) throw std::runtime_error("run option 'hidden' must be a list of layer sizes");
                std::vector<int> hidden;
                for (const QJsonValue& h : v.toArray()) {
                    if (!h.isDouble() || h.toDouble() < 1 || h.toDouble() != double(int(h.toDouble())))
                        throw std::runtime_error("run option 'hidden' must hold positive integers");
                    hidden.push_back(h.toInt());
                }
                a.hidden = std::move(hidden);
            }
            a.activation = enumValue(o, "activation", a.activation, kActivations);
            a.output = enumValue(o, "output", a.output, kOutputs);
            a.loss = enumValue(o, "loss", a.loss, kLosses);
            a.beta = number(o, "beta", a.beta);
            a.epochs = integer(o, "epochs", a.epochs);
            a.batch_size = integer(o, "batch_size", a.batch_size);
            a.learning_rate = number(o, "learning_rate", a.learning_rate);
            a.adam_beta1 = number(o, "adam_beta1", a.adam_beta1);
            a.adam_beta2 = number(o, "adam_beta2", a.adam_beta2);
            a.adam_epsilon = number(o, "adam_epsilon", a.adam_epsilon);
            a.weight_decay = number(o, "weight_decay", a.weight_decay);
            a.standardize = boolean(o, "standardize", a.standardize);
            a.input_scale = number(o, "input_scale", a.input_scale);
            a.validation_fraction = number(o, "validation_fraction", a.validation_fraction);
            a.patience = integer(o, "patience", a.patience);
            a.seed = seedOf(o, a.seed);
            break;
        }
        case Method::Umap: {
            auto& u = s.umap;
            u.dims = s.dims;
            u.n_neighbors = integer(o, "n_neighbors", u.n_neighbors);
            u.min_dist = number(o, "min_dist", u.min_dist);
            u.spread = number(o, "spread", u.spread);
            if (o.contains(QLatin1String("n_epochs"))) u.n_epochs = integer(o, "n_epochs", 0);
            u.learning_rate = number(o, "learning_rate", u.learning_rate);
            u.negative_sample_rate = integer(o, "negative_sample_rate", u.negative_sample_rate);
            u.repulsion_strength = number(o, "repulsion_strength", u.repulsion_strength);
            u.set_op_mix_ratio = number(o, "set_op_mix_ratio", u.set_op_mix_ratio);
            u.local_connectivity = number(o, "local_connectivity", u.local_connectivity);
            if (o.contains(QLatin1String("a"))) u.a = number(o, "a", 0.0);
            if (o.contains(QLatin1String("b"))) u.b = number(o, "b", 0.0);
            u.init = enumValue(o, "init", u.init, kUmapInits);
            u.neighbors = enumValue(o, "neighbors", u.neighbors, kKnnMethods);
            if (o.contains(QLatin1String("pca_dims"))) u.pca_dims = integer(o, "pca_dims", 0);
            u.seed = seedOf(o, u.seed);
            break;
        }
        case Method::Imported: {
            const QJsonValue source = o.value(QLatin1String("source"));
            if (!source.isString() || source.toString().isEmpty())
                throw std::runtime_error("run option 'source' (where the imported embedding came from) must be a non-empty string");
            s.importedFrom = source.toString();
            s.importedColumns = integer(o, "columns", s.dims);
            if (s.importedColumns < s.dims) throw std::runtime_error("run option 'columns' must be at least 'dims'");
            break;
        }
    }
    return s;
}

}  // namespace latentscape::ui
