//! One-at-a-time sensitivity: each parameter alone at the low and the high end of its
//! range, every other parameter at its base value. The swing of the output between the
//! two ends ranks the parameters (the bars of a tornado chart). Cheap (1 + 2k runs) and
//! easy to explain, but blind to interactions: a parameter that matters only when
//! another one is high looks unimportant.

/// Number of design points for `k` parameters: the base point, then a low and a high
/// point for each parameter.
pub fn points(k: usize) -> usize {
    1 + 2 * k
}

/// The design: point 0 is `base` (a position in [0, 1] per parameter); point `1 + 2i`
/// sets parameter `i` to 0 and point `2 + 2i` sets it to 1, the others at `base`.
pub fn design(base: &[f64]) -> Vec<Vec<f64>> {
    let mut out = vec![base.to_vec()];
    for i in 0..base.len() {
        for end in [0.0, 1.0] {
            let mut x = base.to_vec();
            x[i] = end;
            out.push(x);
        }
    }
    out
}

/// One parameter's one-at-a-time result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effect {
    /// The output at the base point.
    pub baseline: f64,
    /// The output with the parameter at the low end of its range.
    pub at_low: f64,
    /// The output with the parameter at the high end of its range.
    pub at_high: f64,
}

impl Effect {
    /// The output at the high end minus the output at the low end.
    pub fn swing(&self) -> f64 {
        self.at_high - self.at_low
    }
}

/// The effect of each of `k` parameters from the outputs of [`design`], in design order.
pub fn effects(k: usize, outputs: &[f64]) -> Result<Vec<Effect>, String> {
    if outputs.len() != points(k) {
        return Err(format!(
            "a one-at-a-time design of {k} parameters has {} points, found {} outputs",
            points(k),
            outputs.len()
        ));
    }
    Ok((0..k)
        .map(|i| Effect {
            baseline: outputs[0],
            at_low: outputs[1 + 2 * i],
            at_high: outputs[2 + 2 * i],
        })
        .collect())
}
