"""Scripted benchmarks of the ONNX runtime against the obvious alternatives."""
