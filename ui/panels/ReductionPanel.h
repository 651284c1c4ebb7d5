#pragma once
/// @file The "Reduction" dock: the method (PCA or t-SNE), its options with the core's defaults
/// and a tooltip each, and Run / Pause / Cancel. The last options are kept in QSettings.

#include "reduce/pca.h"
#include "reduce/tsne.h"

#include <QDockWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace latentscape::ui {

class ReductionPanel : public QDockWidget {
    Q_OBJECT
public:
    enum class Method { Pca = 0, Tsne = 1 };

    explicit ReductionPanel(QWidget* parent = nullptr);

    Method method() const;
    void setMethod(Method method);
    /// Output dimensions (2 or 3).
    int dims() const;
    reduce::tsne::Options tsneOptions() const;
    reduce::PcaOptions pcaOptions() const;
    /// t-SNE iterations (tests shorten runs with it).
    void setTsneIterations(int iterations);
    void setTsnePerplexity(double perplexity);

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
    void pauseToggled(bool paused);
    void cancelRequested();

private:
    QComboBox* m_method = nullptr;
    QSpinBox* m_dims = nullptr;
    QStackedWidget* m_pages = nullptr;
    // PCA
    QCheckBox* m_pcaScale = nullptr;
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
    QPushButton* m_run = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_cancel = nullptr;
};

}  // namespace latentscape::ui
