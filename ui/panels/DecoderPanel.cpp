#include "panels/DecoderPanel.h"

#include "panels/SampleView.h"

#include "data/dataset.h"

#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace latentscape::ui {

DecoderPanel::DecoderPanel(QWidget* parent) : QDockWidget(tr("Decoder"), parent) {
    setObjectName(QStringLiteral("decoderPanel"));
    auto* body = new QWidget(this);
    auto* outer = new QVBoxLayout(body);
    // One line across the dock: where the cursor decodes and which real sample is nearest.
    m_title = new QLabel(tr("Run an autoencoder (2-D), then hover the plot"));
    m_title->setObjectName(QStringLiteral("decoderTitle"));
    // Texts change with every hover: fixed heights and no say in the width, so the dock (and the
    // plot above it, whose camera refits on a resize) never changes size because of them.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    outer->addWidget(m_title);
    auto* layout = new QHBoxLayout;
    outer->addLayout(layout);

    auto* cursor = new QVBoxLayout;
    auto* pair = new QHBoxLayout;
    m_decodedView = new SampleView(112);
    m_decodedView->setObjectName(QStringLiteral("decodedSample"));
    m_decodedView->setToolTip(tr("The decoder's output at the cursor's place in the latent plane: "
                                 "anywhere, between the clusters too."));
    m_nearestView = new SampleView(112);
    m_nearestView->setObjectName(QStringLiteral("nearestSample"));
    m_nearestView->setToolTip(tr("The real sample whose code is nearest to the cursor."));
    pair->addWidget(m_decodedView);
    pair->addWidget(m_nearestView);
    cursor->addLayout(pair);
    cursor->addStretch(1);
    layout->addLayout(cursor);

    auto* line = new QFrame;
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    layout->addWidget(line);

    auto* traversal = new QVBoxLayout;
    m_traversalText = new QLabel;
    m_traversalText->setObjectName(QStringLiteral("traversalText"));
    m_traversalText->setWordWrap(true);
    m_traversalText->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_traversalText->setFixedHeight(2 * m_traversalText->fontMetrics().lineSpacing() + 4);
    traversal->addWidget(m_traversalText);
    // Two rows of five, read like text: the dock sits under the plot, between the side docks.
    auto* strip = new QGridLayout;
    strip->setSpacing(3);
    for (int i = 0; i < traversalSteps; ++i) {
        auto* view = new SampleView(60);
        view->setObjectName(QStringLiteral("traversalSample%1").arg(i));
        m_strip.push_back(view);
        strip->addWidget(view, i / 5, i % 5);
    }
    strip->setColumnStretch(5, 1);
    traversal->addLayout(strip);
    traversal->addStretch(1);
    layout->addLayout(traversal, 1);
    setWidget(body);
    clear();
}

DecoderPanel::~DecoderPanel() = default;

void DecoderPanel::setDataset(std::shared_ptr<const data::Dataset> dataset) {
    m_dataset = std::move(dataset);
    m_style.setDataset(m_dataset, m_eightBit);
    clear();
}

bool DecoderPanel::showsImages() const { return m_style.showsImages(); }

void DecoderPanel::setModel(std::shared_ptr<const reduce::autoencoder::Model> model,
                            std::vector<float> codes, int dims) {
    const bool eightBit = model && !model->scale.empty() && model->scale.front() == 255.0f && model->mean.front() == 0.0f;
    const bool scaleChanged = eightBit != m_eightBit;
    m_model = std::move(model);
    m_eightBit = eightBit;
    if (scaleChanged) m_style.setDataset(m_dataset, m_eightBit);
    m_codes = std::move(codes);
    m_dims = dims;
    if (!m_model) {
        clear();
        return;
    }
    if (m_model->latent_dims != 2)
        m_title->setText(tr("%1-D latent space: hover decodes in 2-D plots only").arg(m_model->latent_dims));
    else if (!m_cursor)
        m_title->setText(tr("Hover the plot: any place decodes, between clusters too"));
    decodeCursor();
    decodeTraversal();
}

void DecoderPanel::clear() {
    m_model.reset();
    m_codes.clear();
    m_cursor.reset();
    m_cursorDecoded.clear();
    m_nearest = -1;
    m_start.reset();
    m_end.reset();
    m_traversal.clear();
    m_traversalDecoded.clear();
    m_title->setText(tr("Run an autoencoder (2-D), then hover the plot"));
    m_decodedView->clearSample();
    m_nearestView->clearSample();
    for (SampleView* v : m_strip) v->clearSample();
    m_traversalText->setText(tr("Traversal: right-click the plot for “Traverse from here” and “Traverse to "
                                "here” to decode the samples between them."));
    emit traversalChanged();
}

QString DecoderPanel::latentText(double x, double y) const {
    const QLocale locale;
    return QStringLiteral("(%1, %2)").arg(locale.toString(x, 'f', 2), locale.toString(y, 'f', 2));
}

void DecoderPanel::showAt(double x, double y) {
    m_cursor = std::array<double, 2>{x, y};
    decodeCursor();
}

void DecoderPanel::decodeCursor() {
    if (!m_model || !m_cursor || m_model->latent_dims != 2 || !m_dataset) return;
    const float z[2] = {float((*m_cursor)[0]), float((*m_cursor)[1])};
    // Far outside any float range (a plot zoomed out without end) there is nothing to decode; a
    // model that gives non-finite values says so instead of taking the window down.
    if (!std::isfinite(z[0]) || !std::isfinite(z[1])) return;
    try {
        m_cursorDecoded = m_model->decode(z, 1);
    } catch (const std::exception& e) {
        m_title->setText(tr("Cannot decode here: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    // The nearest real sample in the code plane: a linear scan (70,000 codes: well under 1 ms).
    m_nearest = -1;
    if (m_dims >= 2 && !m_codes.empty()) {
        double best = std::numeric_limits<double>::infinity();
        const std::size_t n = m_codes.size() / std::size_t(m_dims);
        for (std::size_t i = 0; i < n; ++i) {
            const double dx = m_codes[i * std::size_t(m_dims)] - (*m_cursor)[0];
            const double dy = m_codes[i * std::size_t(m_dims) + 1] - (*m_cursor)[1];
            const double d2 = dx * dx + dy * dy;
            if (d2 < best) {
                best = d2;
                m_nearest = std::int64_t(i);
            }
        }
    }
    const data::Dataset& ds = *m_dataset;
    const bool nearestOk = m_nearest >= 0 && m_nearest < ds.n;
    present(m_decodedView, m_cursorDecoded.data(), nearestOk && !showsImages() ? ds.row(m_nearest) : nullptr);
    m_decodedView->setCaption(tr("decoded"));
    const QString at = tr("Decoded at %1").arg(latentText((*m_cursor)[0], (*m_cursor)[1]));
    m_title->setText(at);
    if (!nearestOk) {
        m_nearestView->clearSample();
        return;
    }
    const auto i = std::size_t(m_nearest);
    QString label;
    if (const data::MetadataColumn* column = ds.label()) label = QString::fromStdString(column->value_string(i));
    if (showsImages()) {
        const data::ImageStack& im = ds.images;
        const QImage image(im.image(i), im.width, im.height, im.width * im.channels,
                           im.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
        m_nearestView->setImage(image.copy());
    } else {
        // The nearest row's own values, as bars; the decoded sample shows them as ticks.
        m_style.present(m_nearestView, ds.row(m_nearest), nullptr);
    }
    const QLocale locale;
    m_nearestView->setCaption(label.isEmpty() ? tr("nearest #%1").arg(locale.toString(qlonglong(m_nearest)))
                                              : tr("nearest: %1").arg(label));
    m_title->setText(tr("%1; the nearest real sample is point %2%3, coded at %4")
                         .arg(at, locale.toString(qlonglong(m_nearest)),
                              label.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(label),
                              latentText(m_codes[i * std::size_t(m_dims)], m_codes[i * std::size_t(m_dims) + 1])));
}

void DecoderPanel::present(SampleView* view, const float* decoded, const float* reference) {
    m_style.present(view, decoded, reference);
}

void DecoderPanel::setTraversalStart(double x, double y) {
    m_start = std::array<double, 2>{x, y};
    m_end.reset();
    m_traversal.clear();
    m_traversalDecoded.clear();
    for (SampleView* v : m_strip) v->clearSample();
    m_traversalText->setText(tr("Traversal from %1: now choose where it ends (right-click, “Traverse to here”).")
                                 .arg(latentText(x, y)));
    emit traversalChanged();
}

void DecoderPanel::setTraversalEnd(double x, double y) {
    if (!m_start) {
        setTraversalStart(x, y);
        return;
    }
    m_end = std::array<double, 2>{x, y};
    decodeTraversal();
    emit traversalChanged();
}

void DecoderPanel::clearTraversal() {
    m_start.reset();
    m_end.reset();
    m_traversal.clear();
    m_traversalDecoded.clear();
    for (SampleView* v : m_strip) v->clearSample();
    m_traversalText->setText(tr("Traversal: right-click the plot for “Traverse from here” and “Traverse to "
                                "here” to decode the samples between them."));
    emit traversalChanged();
}

void DecoderPanel::decodeTraversal() {
    if (!m_start || !m_end) return;
    m_traversal.resize(traversalSteps);
    for (int k = 0; k < traversalSteps; ++k) {
        const double t = double(k) / double(traversalSteps - 1);
        // Exactly the chosen ends at k = 0 and k = steps - 1.
        const double x = k == traversalSteps - 1 ? (*m_end)[0] : (*m_start)[0] + t * ((*m_end)[0] - (*m_start)[0]);
        const double y = k == traversalSteps - 1 ? (*m_end)[1] : (*m_start)[1] + t * ((*m_end)[1] - (*m_start)[1]);
        m_traversal[std::size_t(k)] = {float(x), float(y)};
    }
    m_traversalText->setText(tr("Traversal %1 → %2").arg(latentText((*m_start)[0], (*m_start)[1]),
                                                          latentText((*m_end)[0], (*m_end)[1])));
    if (!m_model || m_model->latent_dims != 2 || !m_dataset) {
        m_traversalDecoded.clear();
        return;
    }
    try {
        m_traversalDecoded = m_model->decode(m_traversal.front().data(), traversalSteps);
    } catch (const std::exception& e) {
        m_traversalDecoded.clear();
        m_traversalText->setText(tr("Cannot decode the traversal: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    const auto d = std::size_t(m_model->input_dims);
    for (int k = 0; k < traversalSteps; ++k) {
        present(m_strip[std::size_t(k)], m_traversalDecoded.data() + std::size_t(k) * d, nullptr);
        m_strip[std::size_t(k)]->setCaption(k == 0 ? tr("A") : k == traversalSteps - 1 ? tr("B") : QString::number(k));
    }
}

}  // namespace latentscape::ui
