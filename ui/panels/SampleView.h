#pragma once
/// @file How the sample docks (Decoder, Generator) draw one row of a dataset: SampleView shows an
/// image, or bars for the first features with a reference row's values as ticks; SampleStyle
/// knows the dataset's ranges and turns a row of values (in the data's units) into either.

#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

/// One sample: an image scaled up without smoothing (pixels stay visible), or bars for the first
/// features (each scaled to its column's range) with the reference row's values as ticks; a
/// caption underneath.
class SampleView : public QWidget {
public:
    SampleView(int side, QWidget* parent = nullptr) : QWidget(parent), m_side(side) {
        setFixedSize(side, side + fontMetrics().height() + 2);
    }
    void setImage(QImage image) {
        m_image = std::move(image);
        m_bars.clear();
        m_reference.clear();
        update();
    }
    void setBars(std::vector<float> bars, std::vector<float> reference) {
        m_image = QImage();
        m_bars = std::move(bars);
        m_reference = std::move(reference);
        update();
    }
    void setCaption(const QString& caption) {
        m_caption = caption;
        update();
    }
    void clearSample() {
        m_image = QImage();
        m_bars.clear();
        m_reference.clear();
        m_caption.clear();
        update();
    }
    const QImage& image() const { return m_image; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    int m_side;
    QImage m_image;
    std::vector<float> m_bars, m_reference;
    QString m_caption;
};

/// Draws rows of one dataset: as images when it has one image of d pixels per row, else as bars
/// over each feature's range (the first kMaxBars features). Ranges are found on first use.
class SampleStyle {
public:
    /// Features drawn as bars for data that is not images: the first ones, enough for a pattern.
    static constexpr int kMaxBars = 48;
    /// `eightBit`: the values are 8-bit pixels (0..255): no pass over the data for the range.
    void setDataset(std::shared_ptr<const data::Dataset> dataset, bool eightBit);
    bool showsImages() const;
    /// Shows `row` (d values) in `view`; `reference` (d values or null) as ticks on bars.
    void present(SampleView* view, const float* row, const float* reference);

private:
    void prepareRanges();
    std::shared_ptr<const data::Dataset> m_dataset;
    bool m_eightBit = false;
    bool m_rangesReady = false;
    float m_imageMin = 0.0f, m_imageMax = 255.0f;
    std::vector<float> m_featureMin, m_featureMax;
};

}  // namespace latentscape::ui
