#pragma once
// A listening-quality estimate for the status line: the ITU-T G.107 E-model transmission rating
// R reduced to the terms a phone can measure (one-way delay, packet loss, codec), mapped to MOS.
namespace dialtone::app {

struct CodecImpairment {
    double ie = 0;    // equipment impairment factor (G.113 Appendix I)
    double bpl = 0;   // packet-loss robustness factor
};

// G.113 Appendix I: G.711 with packet-loss concealment, Ie 0 and Bpl 25.1. Opus is not listed
// in G.113; the status line rates it with these figures too (its wideband gain is not credited).
inline constexpr CodecImpairment kG711WithPlc{0.0, 25.1};

// R from one-way mouth-to-ear delay (ms) and random packet loss (percent).
// G.107 §7: R = Ro - Is - Id - Ie,eff + A with the default Ro - Is = 93.2 and A = 0;
// Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl) with BurstR = 1 (random loss);
// Id approximated, for echo-free terminals, by 0.024 d + 0.11 (d - 177.3) for d > 177.3.
double r_factor(double delay_ms, double loss_percent, CodecImpairment codec = kG711WithPlc);

// G.107 Annex B: MOS = 1 + 0.035 R + R (R - 60)(100 - R) 7e-6, clamped to 1 … 4.5.
double mos_from_r(double r);

}  // namespace dialtone::app
