#pragma once
/// @file The "Generator" dock: a GAN trained on the dataset in the open, and a look at where
/// generative models land.
/// - Training runs on an EmbeddingJob (the one worker of every iterative method) with progress
///   and Stop; each finished epoch brings a grid of samples from fixed noise vectors, the
///   generator's and the discriminator's losses as curves and, for 2-D noise, a plane of samples
///   over [-2.5, 2.5]^2 (all made on the worker).
/// - Hovering the plane generates at that noise (one sample, on the GUI thread: ~1 ms); a click
///   sets an interpolation end (left A, right B), and the strip shows the samples between them.
///   For noise of more dimensions the ends are random noise vectors ("New ends").
/// - Compare draws samples from the GAN, or from the VAE of the run on screen, and measures them
///   against the real rows on a worker (improved precision and recall in PCA-50 space, the classes
///   a 10-NN classifier of the real rows gives them); "Open real + generated" then opens both sets
///   as one dataset with a "source" column, ready to embed and colour side by side.

#include "jobs/EmbeddingJob.h"
#include "jobs/LatestTask.h"
#include "metrics/generative.h"
#include "panels/NoisePlane.h"
#include "panels/SampleView.h"
#include "reduce/autoencoder.h"
#include "reduce/gan.h"

#include <QDockWidget>

#include <array>
#include <memory>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

class LossCurveWidget;

class GeneratorPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit GeneratorPanel(QWidget* parent = nullptr);
    /// Cancels training and a comparison, and waits for both.
    ~GeneratorPanel() override;

    static constexpr int gridColumns = 8;
    static constexpr int gridRows = 3;
    static constexpr int gridSamples = gridColumns * gridRows;
    static constexpr int stripSteps = 10;
    /// The 2-D noise plane: planeTiles x planeTiles samples over [-planeExtent, planeExtent]^2.
    static constexpr int planeTiles = NoisePlane::kTiles;
    static constexpr double planeExtent = NoisePlane::kExtent;

    /// The rows to train on and compare with; stops a training on the old ones and forgets the GAN.
    void setDataset(std::shared_ptr<const data::Dataset> dataset);
    /// The VAE of the run on screen (null: none), offered as the other generator to compare.
    void setVae(std::shared_ptr<const reduce::autoencoder::Model> vae);

    void setNoiseDims(int dims);
    void setEpochs(int epochs);
    /// Starts training a GAN on the dataset (stopping one in progress).
    void train();
    void stop();
    bool isTraining() const { return m_job != nullptr; }
    std::shared_ptr<const reduce::gan::Model> model() const { return m_model; }
    const LossCurveWidget* lossCurve() const { return m_loss; }
    /// The grid's samples of the last snapshot (gridSamples x d).
    const std::vector<float>& gridValues() const { return m_grid; }
    /// The plane's samples (planeTiles^2 x d, row y then column x, y from the top); empty unless
    /// the noise is 2-D.
    const std::vector<float>& planeValues() const { return m_plane; }

    /// Generates at the 2-D noise (x, y) (the plane's cursor).
    void showAt(double x, double y);
    const std::vector<float>& cursorValues() const { return m_cursorValues; }
    /// Interpolation ends (noise vectors); both set: the strip is generated.
    void setStripStart(std::vector<float> z);
    void setStripEnd(std::vector<float> z);
    /// New random ends (noise of more than two dimensions).
    void newStripEnds();
    const std::vector<float>& stripValues() const { return m_stripValues; }

    enum class Source { Gan, Vae };
    /// Draws `samples` rows from the source and measures them against the dataset on a worker.
    void compare(Source source, int samples);
    bool isComparing() const { return m_compare.isRunning(); }
    const std::optional<metrics::GeneratedQuality>& quality() const { return m_quality; }
    /// Real rows then the generated ones of the last comparison, with a "source" column.
    std::shared_ptr<const data::Dataset> jointDataset() const { return m_joint; }

signals:
    void trainingFinished(bool canceled, const QString& error);
    void compared();
    /// "Open real + generated": the window opens it as the current dataset.
    void openJointRequested(std::shared_ptr<const data::Dataset> dataset, const QString& name);

private:
    struct Comparison {
        metrics::GeneratedQuality quality;
        std::shared_ptr<const data::Dataset> joint;
        QString source;
    };
    void takeSnapshot();
    void jobEnded(bool canceled, const QString& error);
    void presentGrid();
    void generateStrip();
    void updateSourceChoice();
    std::vector<float> fixedNoise() const;
    void showQuality(const Comparison& c);

    std::shared_ptr<const data::Dataset> m_dataset;
    std::shared_ptr<const reduce::autoencoder::Model> m_vae;
    SampleStyle m_style;
    std::unique_ptr<EmbeddingJob> m_job;
    std::shared_ptr<const reduce::gan::Model> m_model;
    int m_modelNoiseDims = 0;
    int m_generation = 0;  ///< of the training job, to drop signals of older ones
    std::vector<float> m_grid, m_plane;
    std::vector<float> m_cursorValues;
    std::vector<float> m_stripA, m_stripB, m_stripValues;
    int m_stripDraw = 0;
    LatestTask<Comparison> m_compare;
    std::optional<metrics::GeneratedQuality> m_quality;
    std::shared_ptr<const data::Dataset> m_joint;
    QString m_jointName;

    QSpinBox* m_noiseDims = nullptr;
    QSpinBox* m_epochs = nullptr;
    QPushButton* m_trainButton = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    LossCurveWidget* m_loss = nullptr;
    std::vector<SampleView*> m_gridViews;
    NoisePlane* m_planeView = nullptr;
    SampleView* m_cursorView = nullptr;
    std::vector<SampleView*> m_stripViews;
    QLabel* m_stripText = nullptr;
    QPushButton* m_newEnds = nullptr;
    QComboBox* m_source = nullptr;
    QSpinBox* m_sampleCount = nullptr;
    QPushButton* m_compareButton = nullptr;
    QPushButton* m_openJoint = nullptr;
    QLabel* m_qualityText = nullptr;
};

}  // namespace latentscape::ui
