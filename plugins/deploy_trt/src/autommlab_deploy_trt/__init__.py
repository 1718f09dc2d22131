"""AutoMMLab deploy plugin: mmdeploy -> TensorRT engine (FP32/FP16) on a CUDA GPU.

Shares the export, measuring and bundle code of ``autommlab_deploy_ort``.
"""

__version__ = "0.1.0"
