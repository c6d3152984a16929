#include "dialtone/app/mos.hpp"

#include <algorithm>

namespace dialtone::app {

double r_factor(double delay_ms, double loss_percent, CodecImpairment codec) {
    double d = std::max(0.0, delay_ms);
    double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0.0);
    double ppl = std::clamp(loss_percent, 0.0, 100.0);
    double ie_eff = codec.ie + (95.0 - codec.ie) * ppl / (ppl + codec.bpl);
    return 93.2 - id - ie_eff;
}

double mos_from_r(double r) {
    if (r <= 0) return 1.0;
    if (r >= 100) return 4.5;
    return std::clamp(1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6, 1.0, 4.5);
}

}  // namespace dialtone::app
