"""The Keras side of the sandbox: finding and exporting models, capping fit(), legacy mode, training."""
