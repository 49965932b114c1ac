"""Answer composition: search hits → a cited answer (extractive or generated), and the service that runs it all."""
