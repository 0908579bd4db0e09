"""Models: OLS with small-sample inference, the model catalogue, the specification curve, panels."""
