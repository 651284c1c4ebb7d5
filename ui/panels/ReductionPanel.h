#pragma once
/// @file The "Reduction" dock: the method (PCA, t-SNE or autoencoder), its options with the
/// core's defaults and a tooltip each, and Run / Pause / Cancel. The last options are kept in
/// QSettings. Below them, while the autoencoder is chosen, its loss curve.

#include "model/RunSpec.h"
#include "reduce/autoencoder.h"
#include "reduce/pca.h"
#include "reduce/tsne.h"

#include <QDockWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace latentscape::ui {

class LossCurveWidget;

class ReductionPanel : public QDockWidget {
    Q_OBJECT
public:
    enum class Method { Pca = 0, Tsne = 1, Autoencoder = 2, Umap = 3 };

    explicit ReductionPanel(QWidget* parent = nullptr);

    Method method() const;
    void setMethod(Method method);
    /// Output dimensions (2 or 3).
    int dims() const;
    reduce::tsne::Options tsneOptions() const;
    reduce::PcaOptions pcaOptions() const;
    reduce::umap::Options umapOptions() const;
    /// The autoencoder's options, or nothing (and `error` says why) when a field is invalid.
    std::optional<reduce::autoencoder::Options> autoencoderOptions(QString* error = nullptr) const;
    /// The chosen method with every option the panel shows (the others at the core's defaults),
    /// or nothing (and `error` says why) when a field is invalid.
    std::optional<RunSpec> spec(QString* error = nullptr) const;
    /// The preprocessing every method gets (issue 15).
    data::Preprocess preprocess() const;
    void setPreprocess(data::Preprocess kind);
    /// Shows `spec`'s method and options (a run to re-run with changes, a reopened session).
    void setSpec(const RunSpec& spec);
    /// t-SNE iterations (tests shorten runs with it).
    void setTsneIterations(int iterations);
    void setTsnePerplexity(double perplexity);
    /// Autoencoder settings the tests (and a first run on small data) change.
    void setAutoencoderEpochs(int epochs);
    void setAutoencoderBatchSize(int batch);
    void setAutoencoderHidden(const QString& sizes);
    void setAutoencoderVariational(bool variational);

    /// "512,128" -> {512, 128}; empty or "auto" -> unset (the core's default for the data's
    /// width). Anything else that is not a comma-separated list of sizes in [1, 65536] gives
    /// nothing and a message in `error`.
    static std::optional<std::optional<std::vector<int>>> parseHiddenSizes(const QString& text, QString* error);

    /// Height that shows the current method's options without scrolling (title bar included).
    int preferredHeight() const;

    /// The loss curve below the options (shown while the autoencoder is chosen).
    LossCurveWidget* lossCurve() const { return m_lossCurve; }

    /// Buttons follow the job: Run while idle; Pause and Cancel while one runs.
    void setRunning(bool running);
    void setPaused(bool paused);

    QPushButton* runButton() const { return m_run; }
    QPushButton* pauseButton() const { return m_pause; }
    QPushButton* cancelButton() const { return m_cancel; }

    /// Saves / restores the options (QSettings group "reduction").
    void saveSettings() const;
    void restoreSettings();

signals:
    void runRequested();
    void methodChanged(Method method);
    void pauseToggled(bool paused);
    void cancelRequested();

private:
    QComboBox* m_method = nullptr;
    QSpinBox* m_dims = nullptr;
    QComboBox* m_preprocess = nullptr;
    QStackedWidget* m_pages = nullptr;
    // PCA
    QCheckBox* m_pcaWhiten = nullptr;
    // t-SNE
    QDoubleSpinBox* m_perplexity = nullptr;
    QSpinBox* m_iterations = nullptr;
    QDoubleSpinBox* m_exaggeration = nullptr;
    QSpinBox* m_exaggerationIterations = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QComboBox* m_gradient = nullptr;
    QDoubleSpinBox* m_theta = nullptr;
    QComboBox* m_neighbors = nullptr;
    QSpinBox* m_pcaDims = nullptr;
    QComboBox* m_init = nullptr;
    QSpinBox* m_seed = nullptr;
    // Autoencoder
    QCheckBox* m_aeVariational = nullptr;
    QDoubleSpinBox* m_aeBeta = nullptr;
    QLineEdit* m_aeHidden = nullptr;
    QLabel* m_aeHiddenError = nullptr;
    QComboBox* m_aeActivation = nullptr;
    QComboBox* m_aeLoss = nullptr;
    QSpinBox* m_aeEpochs = nullptr;
    QSpinBox* m_aeBatch = nullptr;
    QDoubleSpinBox* m_aeLearningRate = nullptr;
    QDoubleSpinBox* m_aeWeightDecay = nullptr;
    QCheckBox* m_aeStandardize = nullptr;
    QDoubleSpinBox* m_aeValidation = nullptr;
    QSpinBox* m_aePatience = nullptr;
    QSpinBox* m_aeSeed = nullptr;
    // UMAP
    QSpinBox* m_umapNeighbors = nullptr;
    QDoubleSpinBox* m_umapMinDist = nullptr;
    QDoubleSpinBox* m_umapSpread = nullptr;
    QSpinBox* m_umapEpochs = nullptr;
    QComboBox* m_umapInit = nullptr;
    QComboBox* m_umapNeighborSearch = nullptr;
    QSpinBox* m_umapPcaDims = nullptr;
    QSpinBox* m_umapSeed = nullptr;
    LossCurveWidget* m_lossCurve = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_cancel = nullptr;
};

}  // namespace latentscape::ui
