#include "model/Document.h"

#include <algorithm>

namespace latentscape::ui {

QString Run::stateName() const {
    switch (state) {
        case State::Running: return QStringLiteral("running");
        case State::Done: return QStringLiteral("done");
        case State::Canceled: return QStringLiteral("canceled");
        case State::Failed: return QStringLiteral("failed");
    }
    return {};
}

Document::Document(QObject* parent) : QObject(parent) {}

void Document::setDataset(PreparedDataset prepared, const data::LoadOptions& options) {
    m_prepared = std::move(prepared);
    m_loadOptions = options;
    m_runs.clear();
    m_current = -1;
    m_selection.reset(rows());
    emit datasetChanged();
}

bool Document::replaceDataset(PreparedDataset prepared) {
    if (!prepared.dataset || !m_prepared.dataset || prepared.dataset->n != m_prepared.dataset->n) return false;
    m_prepared = std::move(prepared);
    emit datasetReplaced();
    return true;
}

int Document::addRun(const RunSpec& spec, const QString& name) {
    Run run;
    run.spec = spec;
    run.dims = spec.dims;
    if (!name.isEmpty()) {
        run.name = name;
    } else {
        // "t-SNE 3": one more than the highest number this method's default names reached.
        const QString method = spec.methodName();
        int highest = 0;
        for (const auto& r : m_runs) {
            if (!r->name.startsWith(method + QLatin1Char(' '))) continue;
            bool ok = false;
            const int k = r->name.mid(method.size() + 1).toInt(&ok);
            if (ok) highest = std::max(highest, k);
        }
        run.name = QStringLiteral("%1 %2").arg(method).arg(highest + 1);
    }
    return addRun(std::move(run));
}

int Document::addRun(Run run) {
    run.id = m_nextId++;
    if (run.name.isEmpty()) run.name = QStringLiteral("%1 %2").arg(run.spec.methodName()).arg(run.id);
    const int id = run.id;
    m_runs.push_back(std::make_shared<const Run>(std::move(run)));
    emit runAdded(id);
    return id;
}

Run* Document::edit(int id) {
    for (auto& r : m_runs) {
        if (r->id != id) continue;
        auto copy = std::make_shared<Run>(*r);
        r = copy;
        return copy.get();
    }
    return nullptr;
}

std::shared_ptr<const Run> Document::run(int id) const {
    for (const auto& r : m_runs)
        if (r->id == id) return r;
    return nullptr;
}

void Document::setRunEmbedding(int id, std::shared_ptr<const std::vector<float>> embedding, int dims, int iterations,
                               double cost, const QString& costName) {
    Run* r = edit(id);
    if (!r) return;
    r->embedding = std::move(embedding);
    r->dims = dims;
    r->iterations = iterations;
    r->cost = cost;
    if (!costName.isEmpty()) r->costName = costName;
    emit runChanged(id);
}

void Document::setRunModel(int id, std::shared_ptr<const reduce::autoencoder::Model> model) {
    Run* r = edit(id);
    if (!r) return;
    r->model = std::move(model);
    emit runChanged(id);
}

void Document::setRunTraining(int id, std::optional<TrainingProgress> training) {
    Run* r = edit(id);
    if (!r) return;
    r->training = std::move(training);
    emit runChanged(id);
}

void Document::setRunMetrics(int id, std::optional<EmbeddingMetrics> metrics) {
    Run* r = edit(id);
    if (!r) return;
    r->metrics = std::move(metrics);
    emit runChanged(id);
}

void Document::finishRun(int id, Run::State state, double seconds, const QString& error) {
    Run* r = edit(id);
    if (!r) return;
    r->state = state;
    r->seconds = seconds;
    r->error = error;
    emit runChanged(id);
}

bool Document::renameRun(int id, const QString& name) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) return false;
    Run* r = edit(id);
    if (!r) return false;
    r->name = trimmed;
    emit runChanged(id);
    return true;
}

void Document::removeRun(int id) {
    const auto it = std::find_if(m_runs.begin(), m_runs.end(), [id](const auto& r) { return r->id == id; });
    if (it == m_runs.end()) return;
    m_runs.erase(it);
    emit runRemoved(id);
    if (m_current == id) setCurrentRun(m_runs.empty() ? -1 : m_runs.back()->id);
}

void Document::setCurrentRun(int id) {
    if (id != -1 && !run(id)) return;
    if (id == m_current) return;
    m_current = id;
    emit currentRunChanged(id);
}

bool Document::setSelection(const select::Selection& selection) {
    if (selection.size() != rows()) return false;
    if (!m_selection.apply(selection)) return false;
    emit selectionChanged();
    return true;
}

bool Document::undoSelection() {
    if (!m_selection.undo()) return false;
    emit selectionChanged();
    return true;
}

bool Document::redoSelection() {
    if (!m_selection.redo()) return false;
    emit selectionChanged();
    return true;
}

void Document::resetSelection(const select::Selection& selection) {
    m_selection.reset(selection);
    emit selectionChanged();
}

}  // namespace latentscape::ui
