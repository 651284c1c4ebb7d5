#include "jobs/RunInput.h"

namespace latentscape::ui {

std::shared_ptr<const data::Dataset> runInput(std::shared_ptr<const data::Dataset> dataset, data::Preprocess kind) {
    if (!dataset || kind == data::Preprocess::None) return dataset;
    return std::make_shared<const data::Dataset>(data::preprocessed(*dataset, kind));
}

data::PreprocessFit runInputFit(const data::Dataset& dataset, data::Preprocess kind) {
    if (kind == data::Preprocess::None) return {};
    return data::fit_preprocess(dataset.features.data(), dataset.n, dataset.d, kind, &dataset.feature_names);
}

}  // namespace latentscape::ui
