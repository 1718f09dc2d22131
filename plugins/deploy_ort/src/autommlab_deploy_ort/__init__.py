"""AutoMMLab deploy plugin: mmdeploy -> ONNX -> ONNX Runtime, measured, with a standalone bundle.

Modules: ``plugin`` (the hooks, light), ``deploy`` (the shared flow), ``engine``
(mmdeploy), ``evaluate`` (val pass, parity), ``latency``, ``bundle``,
``predict`` / ``preprocess`` / ``postprocess`` / ``draw`` (the bundle's own runtime).
"""

__version__ = "0.1.0"
