#include "panels/SampleView.h"

#include "data/dataset.h"

#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace latentscape::ui {
namespace {
const QColor kBarColor(0x00, 0x72, 0xB2);
const QColor kReferenceColor(0xD5, 0x5E, 0x00);
}  // namespace

void SampleView::paintEvent(QPaintEvent*) {
        QPainter p(this);
        const QRect box(0, 0, m_side, m_side);
        p.fillRect(box, palette().base());
        if (!m_image.isNull()) {
            p.setRenderHint(QPainter::SmoothPixmapTransform, false);
            const QSize fitted = m_image.size().scaled(box.size(), Qt::KeepAspectRatio);
            const QRect target(QPoint((m_side - fitted.width()) / 2, (m_side - fitted.height()) / 2), fitted);
            p.drawImage(target, m_image);
        } else if (!m_bars.empty()) {
            const double w = double(m_side - 4) / double(m_bars.size());
            for (std::size_t j = 0; j < m_bars.size(); ++j) {
                const double v = std::clamp(double(m_bars[j]), 0.0, 1.0);
                const double x = 2 + j * w;
                p.fillRect(QRectF(x, m_side - 2 - v * (m_side - 4), std::max(1.0, w - 1), v * (m_side - 4)), kBarColor);
            }
            p.setPen(QPen(kReferenceColor, 2));
            for (std::size_t j = 0; j < m_reference.size() && j < m_bars.size(); ++j) {
                if (!std::isfinite(m_reference[j])) continue;
                const double v = std::clamp(double(m_reference[j]), 0.0, 1.0);
                const double x = 2 + j * w;
                const double y = m_side - 2 - v * (m_side - 4);
                p.drawLine(QPointF(x, y), QPointF(x + std::max(1.0, w - 1), y));
            }
        }
        p.setPen(palette().color(QPalette::Mid));
        p.drawRect(QRectF(box).adjusted(0.5, 0.5, -0.5, -0.5));
        p.setPen(palette().color(QPalette::Text));
        const QRect text(0, m_side + 1, width(), height() - m_side - 1);
        p.drawText(text, Qt::AlignHCenter | Qt::AlignTop, fontMetrics().elidedText(m_caption, Qt::ElideRight, width()));
}

void SampleStyle::setDataset(std::shared_ptr<const data::Dataset> dataset, bool eightBit) {
    m_dataset = std::move(dataset);
    m_eightBit = eightBit;
    m_rangesReady = false;
}

bool SampleStyle::showsImages() const {
    if (!m_dataset || m_dataset->images.empty()) return false;
    const data::ImageStack& im = m_dataset->images;
    return (im.channels == 1 || im.channels == 3) && std::int64_t(im.image_bytes()) == m_dataset->d;
}

void SampleStyle::prepareRanges() {
    if (m_rangesReady || !m_dataset) return;
    const data::Dataset& ds = *m_dataset;
    m_rangesReady = true;
    if (showsImages()) {
        // Scaled 8-bit images (the usual case) are 0..255 by construction: no pass over the data.
        if (!m_eightBit && !ds.features.empty()) {
            const auto [lo, hi] = std::minmax_element(ds.features.begin(), ds.features.end());
            m_imageMin = *lo;
            m_imageMax = *hi > *lo ? *hi : *lo + 1.0f;
        } else {
            m_imageMin = 0.0f;
            m_imageMax = 255.0f;
        }
        return;
    }
    const auto bars = std::size_t(std::min<std::int64_t>(ds.d, kMaxBars));
    m_featureMin.assign(bars, std::numeric_limits<float>::infinity());
    m_featureMax.assign(bars, -std::numeric_limits<float>::infinity());
    for (std::int64_t i = 0; i < ds.n; ++i) {
        const float* row = ds.row(i);
        for (std::size_t j = 0; j < bars; ++j) {
            m_featureMin[j] = std::min(m_featureMin[j], row[j]);
            m_featureMax[j] = std::max(m_featureMax[j], row[j]);
        }
    }
}

void SampleStyle::present(SampleView* view, const float* decoded, const float* reference) {
    if (!m_dataset) return;
    prepareRanges();
    const data::Dataset& ds = *m_dataset;
    // The model decodes in the data's own units (its input scale undone).
    if (showsImages()) {
        const data::ImageStack& im = ds.images;
        QImage image(im.width, im.height, im.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
        const float span = m_imageMax - m_imageMin;
        for (int y = 0; y < im.height; ++y) {
            std::uint8_t* line = image.scanLine(y);
            for (int x = 0; x < im.width * im.channels; ++x) {
                const float v = (decoded[std::size_t(y) * std::size_t(im.width * im.channels) + std::size_t(x)] -
                                 m_imageMin) / span;
                line[x] = std::uint8_t(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
            }
        }
        view->setImage(std::move(image));
        return;
    }
    const auto bars = std::size_t(std::min<std::int64_t>(ds.d, kMaxBars));
    std::vector<float> values(bars), ref;
    for (std::size_t j = 0; j < bars; ++j) {
        const float span = m_featureMax[j] - m_featureMin[j];
        values[j] = span > 0 ? (decoded[j] - m_featureMin[j]) / span : 0.5f;
    }
    if (reference) {
        ref.resize(bars);
        for (std::size_t j = 0; j < bars; ++j) {
            const float span = m_featureMax[j] - m_featureMin[j];
            ref[j] = span > 0 ? (reference[j] - m_featureMin[j]) / span : 0.5f;
        }
    }
    view->setBars(std::move(values), std::move(ref));
}

}  // namespace latentscape::ui
