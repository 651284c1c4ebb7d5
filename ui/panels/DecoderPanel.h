#pragma once
/// @file The "Decoder" dock: the autoencoder's latent plane is generative, and this shows it.
/// Hovering any place of a 2-D autoencoder embedding (points or the empty space between them)
/// decodes that latent position: for image data the decoded image beside the real image whose
/// code is nearest, otherwise the decoded feature values beside the nearest row's. A traversal
/// strip decodes evenly spaced positions along a segment between two chosen places. Decoding
/// runs on the GUI thread from the immutable model snapshot (a sample costs about a millisecond);
/// the nearest code is a linear scan.

#include "panels/SampleView.h"
#include "reduce/autoencoder.h"

#include <QDockWidget>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QLabel;

namespace latentscape::data {
struct Dataset;
}

namespace latentscape::ui {

class DecoderPanel : public QDockWidget {
    Q_OBJECT
public:
    explicit DecoderPanel(QWidget* parent = nullptr);
    ~DecoderPanel() override;

    /// Samples along a traversal, both ends included.
    static constexpr int traversalSteps = 10;

    /// The rows the codes belong to (their images or features are shown as the nearest sample).
    void setDataset(std::shared_ptr<const data::Dataset> dataset);
    /// The network to decode with (null: nothing to decode; it decodes in the data's units), with
    /// the codes of every row (n x dims, the embedding on screen) for the nearest real sample.
    /// What is on show is decoded again with the new model.
    void setModel(std::shared_ptr<const reduce::autoencoder::Model> model,
                  std::vector<float> codes, int dims);
    /// Forgets the model, the cursor sample and the traversal.
    void clear();
    bool hasModel() const { return m_model != nullptr; }

    /// Decodes the latent position (x, y) (the cursor's place in a 2-D latent plane).
    void showAt(double x, double y);
    /// Ends of the traversal; with both set the strip is decoded.
    void setTraversalStart(double x, double y);
    void setTraversalEnd(double x, double y);
    void clearTraversal();

    // What is shown (the tests read it).
    std::optional<std::array<double, 2>> cursorPosition() const { return m_cursor; }
    /// The decoded values at the cursor position, as Model::decode gives them (model units).
    const std::vector<float>& cursorDecoded() const { return m_cursorDecoded; }
    /// The row whose code is nearest to the cursor position (-1: none).
    std::int64_t nearestIndex() const { return m_nearest; }
    std::optional<std::array<double, 2>> traversalStart() const { return m_start; }
    std::optional<std::array<double, 2>> traversalEnd() const { return m_end; }
    /// The latent positions of the strip (traversalSteps of them, start to end; empty without both ends).
    const std::vector<std::array<float, 2>>& traversalPoints() const { return m_traversal; }
    /// Their decoded values, traversalSteps x d row-major, from one Model::decode call.
    const std::vector<float>& traversalDecoded() const { return m_traversalDecoded; }
    /// Whether samples are drawn as images (the dataset has one image per row of d pixels).
    bool showsImages() const;

signals:
    /// The traversal's ends changed (the view may draw the segment).
    void traversalChanged();

private:
    void decodeCursor();
    void decodeTraversal();
    /// A sample's picture: an image for image data, else feature bars (with `reference` values).
    void present(SampleView* view, const float* decoded, const float* reference);
    QString latentText(double x, double y) const;

    std::shared_ptr<const data::Dataset> m_dataset;
    std::shared_ptr<const reduce::autoencoder::Model> m_model;
    bool m_eightBit = false;  // the model scales its input by 1/255: 8-bit images
    std::vector<float> m_codes;
    int m_dims = 2;
    SampleStyle m_style;

    std::optional<std::array<double, 2>> m_cursor;
    std::vector<float> m_cursorDecoded;
    std::int64_t m_nearest = -1;
    std::optional<std::array<double, 2>> m_start, m_end;
    std::vector<std::array<float, 2>> m_traversal;
    std::vector<float> m_traversalDecoded;

    QLabel* m_title = nullptr;
    SampleView* m_decodedView = nullptr;
    SampleView* m_nearestView = nullptr;
    QLabel* m_traversalText = nullptr;
    std::vector<SampleView*> m_strip;
};

}  // namespace latentscape::ui
