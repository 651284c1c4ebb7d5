#pragma once
/// @file The "Clustering" dock: the options of k-means or DBSCAN, on the embedding on screen or on
/// the original features, and the k-distance plot for choosing eps. The work is
/// services/ClusteringService's; the dock asks it and shows its caption and curve.

#include "services/ClusteringService.h"

#include <QDockWidget>
#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace latentscape::ui {

/// The k-distance curve (descending) with a line at the current eps; a click sets eps to the
/// distance under the cursor. The knee of the curve is a good eps.
class KDistancePlot : public QWidget {
    Q_OBJECT
public:
    explicit KDistancePlot(QWidget* parent = nullptr);
    void setCurve(std::vector<float> distances);
    const std::vector<float>& curve() const { return m_curve; }
    void setEps(double eps);
    /// The eps a click at widget height y would choose.
    double epsAt(double y) const;

signals:
    void epsPicked(double eps);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::vector<float> m_curve;
    double m_eps = 0.0;
    double m_max = 1.0;
};

class ClusterPanel : public QDockWidget {
    Q_OBJECT
public:
    using Method = ClusteringService::Method;
    using Target = ClusteringService::Target;

    explicit ClusterPanel(ClusteringService* service, QWidget* parent = nullptr);
    ~ClusterPanel() override;

    Method method() const;
    void setMethod(Method method);
    Target target() const;
    void setTarget(Target target);
    void setK(int k);
    void setEps(double eps);
    void setMinPoints(int minPoints);
    double eps() const;
    /// Every option as the dock shows it.
    ClusteringService::Options options() const;
    KDistancePlot* kDistancePlot() const { return m_plot; }
    QPushButton* runButton() const { return m_run; }

private:
    ClusteringService* m_service;
    QComboBox* m_method = nullptr;
    QComboBox* m_target = nullptr;
    QStackedWidget* m_pages = nullptr;
    QSpinBox* m_k = nullptr;
    QSpinBox* m_restarts = nullptr;
    QSpinBox* m_seed = nullptr;
    QDoubleSpinBox* m_eps = nullptr;
    QSpinBox* m_minPoints = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_kButton = nullptr;
    KDistancePlot* m_plot = nullptr;
    QLabel* m_status = nullptr;
};

}  // namespace latentscape::ui
